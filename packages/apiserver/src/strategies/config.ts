// ConfigMap and Secret: key formats, total size, Secret types, and `immutable: true`.
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { equal, immutable } from './fields.js';
import { isConfigMapKey } from './formats.js';
import { kindRules } from './kind.js';

const MAX_SIZE = 1024 * 1024;
const IMMUTABLE_DETAIL = 'field is immutable when `immutable` is set';

function validateKeys(data: Record<string, string> | undefined, path: string): FieldError[] {
  return Object.keys(data ?? {}).flatMap((key) => isConfigMapKey(key).map((msg) => fieldErrors.invalid(`${path}[${key}]`, key, msg)));
}

const byteSize = (data: Record<string, string> | undefined, decode: (v: string) => number): number =>
  Object.values(data ?? {}).reduce((n, v) => n + decode(String(v)), 0);

/** Once `immutable: true`, neither the data nor the flag may change. */
function validateImmutableUpdate(obj: { immutable?: boolean; data?: unknown; binaryData?: unknown; stringData?: unknown }, old: typeof obj): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fieldErrors.forbidden('immutable', IMMUTABLE_DETAIL));
  if (!equal(obj.data, old.data)) errs.push(fieldErrors.forbidden('data', IMMUTABLE_DETAIL));
  if ('binaryData' in old || 'binaryData' in obj) {
    if (!equal(obj.binaryData, old.binaryData)) errs.push(fieldErrors.forbidden('binaryData', IMMUTABLE_DETAIL));
  }
  return errs;
}

export const configMapRules = kindRules<ConfigMap>({
  validate(cm) {
    const errs = [...validateKeys(cm.data, 'data'), ...validateKeys(cm.binaryData, 'binaryData')];
    for (const key of Object.keys(cm.binaryData ?? {})) {
      if (cm.data && key in cm.data) errs.push(fieldErrors.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    }
    const size = byteSize(cm.data, (v) => Buffer.byteLength(v)) + byteSize(cm.binaryData, (v) => Buffer.from(v, 'base64').length);
    if (size > MAX_SIZE) errs.push(fieldErrors.tooLong('', MAX_SIZE));
    return errs;
  },
  validateUpdate: (cm, old) => validateImmutableUpdate(cm, old),
});

/** Keys each well-known Secret type must carry. */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export const secretRules = kindRules<Secret>({
  defaults(secret) {
    secret.type ||= 'Opaque';
    // stringData is write-only: it merges into data (base64) and is never stored.
    if (secret.stringData) {
      secret.data = { ...secret.data };
      for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = Buffer.from(String(v)).toString('base64');
      delete secret.stringData;
    }
  },
  validate(secret) {
    const errs = validateKeys(secret.data, 'data');
    const size = byteSize(secret.data, (v) => Buffer.from(v, 'base64').length);
    if (size > MAX_SIZE) errs.push(fieldErrors.tooLong('data', MAX_SIZE));
    for (const key of REQUIRED_KEYS[secret.type ?? ''] ?? []) {
      if (!(key in (secret.data ?? {}))) errs.push(fieldErrors.required(`data[${key}]`));
    }
    if (secret.type === 'kubernetes.io/service-account-token' && !secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
      errs.push(fieldErrors.required("metadata.annotations[kubernetes.io/service-account.name]"));
    }
    return errs;
  },
  validateUpdate: (secret, old) => [...immutable(secret.type, old.type, 'type'), ...validateImmutableUpdate(secret, old)],
});
