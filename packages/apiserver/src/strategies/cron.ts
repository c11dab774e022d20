// Checks a CronJob schedule. croner decides whether a five-field schedule parses; Kubernetes' parser
// (robfig/cron's standard parser) is stricter in a few places croner extends (L, W, #, a 7 for
// Sunday), so those are refused first. Errors are worded as robfig words them, which is what
// `spec.schedule: Invalid value: "...": <error>` shows on a real cluster.
import { Cron } from 'croner';

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Field {
  /** croner's name for the field in its messages. */
  unit: string;
  min: number;
  max: number;
  names?: string[];
  nameBase?: number;
}

const FIELDS: Field[] = [
  { unit: 'minute', min: 0, max: 59 },
  { unit: 'hour', min: 0, max: 23 },
  { unit: 'day', min: 1, max: 31 },
  { unit: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { unit: 'dayOfWeek', min: 0, max: 6, names: DAYS, nameBase: 0 },
];

/** The parse error of a schedule, or undefined when it parses. */
export function cronScheduleError(schedule: string): string | undefined {
  const spec = schedule.trim();
  if (spec.startsWith('@every ')) return DURATION.test(spec.slice('@every '.length).trim()) ? undefined : `failed to parse duration ${spec}`;
  if (spec.startsWith('@')) return DESCRIPTORS.includes(spec) ? undefined : `unrecognized descriptor: ${spec}`;
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  const beyondRobfig = robfigOnlyError(fields);
  if (beyondRobfig) return beyondRobfig;
  try {
    new Cron(fields.join(' '), { paused: true });
    return undefined;
  } catch (err) {
    return explain((err as Error).message, fields);
  }
}

/** Refuses what croner accepts but robfig does not: tokens other than numbers and names, and out-of-range days of week. */
function robfigOnlyError(fields: string[]): string | undefined {
  for (const [i, field] of fields.entries()) {
    for (const part of field.split(',')) {
      const [range = '', ...steps] = part.split('/');
      const tokens = [...(range === '*' || range === '?' ? [] : range.split('-')), ...steps.slice(0, 1)];
      for (const [t, token] of tokens.entries()) {
        const isStep = steps.length > 0 && t === tokens.length - 1;
        if (!/^\d+$/.test(token) && (isStep || nameValue(token, FIELDS[i]!) === undefined)) return atoiError(token);
      }
      if (i === 4) {
        const err = boundsError(part, FIELDS[4]!);
        if (err) return err;
      }
    }
  }
  return undefined;
}

/** Turns croner's message into robfig's wording for the list part at fault. */
function explain(message: string, fields: string[]): string {
  const quoted = /'([^']*)'/.exec(message)?.[1];
  if (quoted !== undefined && /illegal range/.test(message)) return `too many hyphens: ${quoted}`;
  if (quoted !== undefined && /illegal stepping/.test(message)) return `too many slashes: ${quoted}`;
  for (const [i, field] of fields.entries()) {
    for (const part of field.split(',')) {
      const step = part.split('/')[1];
      if (step !== undefined && Number(step) <= 0) return `step of range should be a positive number: ${part}`;
      const err = boundsError(part, FIELDS[i]!);
      if (err) return err;
    }
  }
  return message.replace(/^CronPattern: /, '');
}

function boundsError(part: string, field: Field): string | undefined {
  const range = part.split('/')[0]!;
  if (range === '*' || range === '?') return undefined;
  const [lo = '', hi = lo] = range.split('-');
  const start = valueOf(lo, field);
  const end = valueOf(hi, field);
  if (start < field.min) return `beginning of range (${start}) below minimum (${field.min}): ${part}`;
  if (end > field.max) return `end of range (${end}) above maximum (${field.max}): ${part}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${part}`;
  return undefined;
}

const valueOf = (token: string, field: Field): number => nameValue(token, field) ?? Number(token);

function nameValue(token: string, field: Field): number | undefined {
  const i = field.names?.indexOf(token.toLowerCase()) ?? -1;
  return i >= 0 ? i + (field.nameBase ?? 0) : undefined;
}

const atoiError = (token: string): string => `failed to parse int from ${token}: strconv.Atoi: parsing ${JSON.stringify(token)}: invalid syntax`;
