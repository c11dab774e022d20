// Times as the API writes them.

/** metav1.Time: RFC 3339 in UTC, whole seconds. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** metav1.MicroTime: six fraction digits. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');
