// The table of kinds without a printer (custom resources, say): the name and the raw creation
// timestamp, which kubectl prints as given because the column's type is "date".
import { CREATION_TIMESTAMP_DESCRIPTION, column, nameColumn } from './columns.js';
import type { TableConvertor } from './types.js';

// What Go prints for a zero metav1.Time formatted as RFC 3339.
const ZERO_TIME = '0001-01-01T00:00:00Z';

export const defaultConvertor: TableConvertor = {
  columns: [nameColumn(), column('Created At', { type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION })],
  cells: (obj) => [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? ZERO_TIME],
};
