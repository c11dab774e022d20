// Column definitions shared by the printers. Names, types and priorities follow the real server's
// printers (pkg/printers/internalversion/printers.go); priority 1 columns appear only with -o wide.
import type { KObject } from '@mini-kube/api';
import type { TableColumn, TableConvertor } from './types.js';

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

interface ColumnOptions {
  type?: TableColumn['type'];
  format?: string;
  priority?: number;
  description?: string;
}

export function column(name: string, options: ColumnOptions = {}): TableColumn {
  return {
    name,
    type: options.type ?? 'string',
    format: options.format ?? '',
    description: options.description ?? '',
    priority: options.priority ?? 0,
  };
}

/** A column shown only with -o wide. */
export function wide(name: string, options: ColumnOptions = {}): TableColumn {
  return column(name, { ...options, priority: 1 });
}

export const nameColumn = (): TableColumn => column('Name', { format: 'name', description: NAME_DESCRIPTION });

export const ageColumn = (): TableColumn => column('Age', { description: CREATION_TIMESTAMP_DESCRIPTION });

/** The wide columns every pod-template owner shares. */
export const templateColumns = (withSelector = true): TableColumn[] => [
  wide('Containers', { description: 'Names of each container in the template.' }),
  wide('Images', { description: 'Images referenced by each container in the template.' }),
  ...(withSelector ? [wide('Selector')] : []),
];

/** Binds typed cells to a column list; objects reach printers untyped, as stored. */
export function convertor<T>(columns: TableColumn[], cells: (obj: T, now: number) => unknown[]): TableConvertor {
  return { columns, cells: (obj: KObject, now: number) => cells(obj as T, now) };
}
