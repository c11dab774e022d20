// Request bodies: JSON, YAML, and Kubernetes protobuf (sent by kubectl's `create <generator>`).
import { StatusError, badRequest } from '@mini-kube/machinery';
import { parse as parseYaml } from 'yaml';
import { decodeKubernetesProtobuf } from '../protobuf/index.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

const JSON_TYPES = new Set([
  '',
  '*/*',
  'application/json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
]);
const YAML_TYPES = new Set(['application/yaml', 'application/apply-patch+yaml']);
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** The media type without parameters, lower-cased; "" when absent. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** `raw`: the bytes received, or text (a body that came in-process, never encoded to bytes). */
export function decodeBody(contentType: string | undefined, raw: Buffer | string): unknown {
  const type = mediaType(contentType);
  const text = (): string => (typeof raw === 'string' ? raw : raw.toString('utf8'));
  if (JSON_TYPES.has(type)) {
    try {
      return JSON.parse(text());
    } catch (err) {
      throw badRequest(`error decoding request body: ${(err as Error).message}`);
    }
  }
  if (YAML_TYPES.has(type)) {
    try {
      return parseYaml(text());
    } catch (err) {
      throw badRequest(`error decoding YAML request body: ${(err as Error).message}`);
    }
  }
  if (type === PROTOBUF) return decodeKubernetesProtobuf(typeof raw === 'string' ? Buffer.from(raw) : raw);
  throw new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF}`,
  );
}
