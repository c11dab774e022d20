import type { KObject } from '@mini-kube/api';

/** One column of a meta.k8s.io/v1 Table, as the real server declares it. */
export interface TableColumn {
  name: string;
  type: string; // string | integer | number | boolean | date
  format: string; // "name" for the name column, else ""
  description: string;
  priority: number; // 0 always shown, 1 only with -o wide
}

/** The server-side printer of one kind: its columns and a row of cells per object. */
export interface TableConvertor {
  columns: TableColumn[];
  /** Cells in column order; `now` is milliseconds since the epoch (ages are computed from it). */
  cells(obj: KObject, now: number): unknown[];
}
