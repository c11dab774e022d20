// Checks a CronJob schedule the way robfig/cron's standard parser (used by Kubernetes) does,
// returning its error text, or undefined when the schedule parses.

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Bounds {
  min: number;
  max: number;
  names?: string[];
  /** The value of names[0]: 1 for months, 0 for weekdays. */
  nameBase?: number;
}

const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { min: 0, max: 6, names: DAYS, nameBase: 0 },
];

export function cronScheduleError(schedule: string): string | undefined {
  const spec = schedule.trim();
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.includes(spec)) return undefined;
    if (spec.startsWith('@every ')) return /^@every (\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(spec) ? undefined : `failed to parse duration ${spec}`;
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (const [i, field] of fields.entries()) {
    for (const part of field.split(',')) {
      const err = rangeError(part, FIELDS[i]!);
      if (err) return err;
    }
  }
  return undefined;
}

function rangeError(expr: string, b: Bounds): string | undefined {
  const [range = '', step, extra] = expr.split('/');
  if (extra !== undefined) return `too many slashes: ${expr}`;
  let start: number;
  let end: number;
  if (range === '*' || range === '?') {
    [start, end] = [b.min, b.max];
  } else {
    const [lo = '', hi, more] = range.split('-');
    if (more !== undefined) return `too many hyphens: ${expr}`;
    const first = parseValue(lo, b);
    if (typeof first === 'string') return first;
    const last = hi === undefined ? first : parseValue(hi, b);
    if (typeof last === 'string') return last;
    [start, end] = [first, last];
  }
  if (step !== undefined) {
    const n = parseValue(step, {min: 0, max: 0});
    if (typeof n === 'string') return n;
    if (n <= 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

/** A number, or a month/weekday name; a string result is the parse error. */
function parseValue(text: string, b: Bounds): number | string {
  const named = b.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (b.nameBase ?? 0);
  if (!/^\d+$/.test(text)) return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  return Number(text);
}
