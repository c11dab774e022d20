// Printers of ConfigMap, Secret and ServiceAccount.
import { translateTimestampSince } from '@mini-kube/machinery';
import type { ConfigMap, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import { ageColumn, column, convertor, nameColumn } from './columns.js';

export const configMapConvertor = convertor<ConfigMap>([nameColumn(), column('Data'), ageColumn()], (cm, now) => [
  cm.metadata?.name ?? '',
  Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
  translateTimestampSince(cm.metadata?.creationTimestamp, now),
]);

export const secretConvertor = convertor<Secret>([nameColumn(), column('Type'), column('Data'), ageColumn()], (secret, now) => [
  secret.metadata?.name ?? '',
  secret.type ?? '',
  // The server folds stringData into data on write; count the union in case it has not yet.
  new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]).size,
  translateTimestampSince(secret.metadata?.creationTimestamp, now),
]);

export const serviceAccountConvertor = convertor<ServiceAccount>([nameColumn(), column('Secrets'), ageColumn()], (sa, now) => [
  sa.metadata?.name ?? '',
  sa.secrets?.length ?? 0,
  translateTimestampSince(sa.metadata?.creationTimestamp, now),
]);
