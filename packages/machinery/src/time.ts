// metav1.Time as the API writes it: RFC 3339 in UTC, whole seconds ("2026-11-23T06:10:00Z").
// Control loops stamp many conditions, events and statuses within one second: its text is kept.
let lastSecond = NaN;
let lastText = '';

/** `ms` (since the epoch) as a metav1.Time: the second it falls in. */
export function formatTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}
