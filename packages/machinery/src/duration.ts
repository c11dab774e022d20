// Human-readable durations, as k8s.io/apimachinery/pkg/util/duration prints them. `kubectl get`
// shows these strings verbatim in AGE and similar columns, so the rounding must match exactly.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/**
 * Handles the sign: up to one second in the future still counts as "now" (clock skew between
 * machines), anything further is invalid. Returns undefined when `ms` needs the normal format.
 */
function negative(ms: number): string | undefined {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (ms < 0) return '0s';
  return undefined;
}

/** About two or three significant figures: `45s`, `3m10s`, `70m`, `3h5m`, `2d1h`, `367d`, `2y1d`, `8y`. */
export function humanDuration(ms: number): string {
  const special = negative(ms);
  if (special !== undefined) return special;
  const seconds = Math.floor(ms / SECOND);
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 10) return withRest(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(ms / DAY);
  if (hours < 24 * 8) return withRest(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(ms / YEAR);
  if (hours < 24 * 365 * 8) return withRest(years, 'y', days % 365, 'd');
  return `${years}y`;
}

/** One unit only: `59s`, `1m`, `23h`, `364d`, `2y`. */
export function shortHumanDuration(ms: number): string {
  const special = negative(ms);
  if (special !== undefined) return special;
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)}s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)}h`;
  if (ms < YEAR) return `${Math.floor(ms / DAY)}d`;
  return `${Math.floor(ms / YEAR)}y`;
}

function withRest(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/** The age of an RFC 3339 timestamp at `now` (ms since the epoch); `<unknown>` when there is none. */
export function translateTimestampSince(ts: string | undefined | null, now: number): string {
  if (!ts) return '<unknown>';
  const at = Date.parse(ts);
  if (Number.isNaN(at)) return '<unknown>';
  return humanDuration(now - at);
}
