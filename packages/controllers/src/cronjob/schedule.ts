// CronJob schedules (cronjob/utils.go) on the croner library: the next activation after a time, in
// the CronJob's timeZone (the controller's local zone without one), and the most recent activation
// a sync has missed. `@every <duration>` and the @-descriptors are handled as robfig/cron does.
import { Cron } from 'croner';

export interface Schedule {
  /** The first activation strictly after `ms`, or undefined when there is none. */
  next(ms: number): number | undefined;
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** An invalid IANA zone name's error, undefined when the zone is known. */
export function timeZoneError(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `unknown time zone ${zone}`;
  }
}

/** Parses a schedule (already validated by the API server); throws on what it cannot parse. */
export function parseSchedule(schedule: string, timeZone?: string): Schedule {
  const spec = schedule.trim();
  if (spec.startsWith('@every ')) return everySchedule(spec.slice('@every '.length).trim());
  const cron = new Cron(DESCRIPTORS[spec] ?? spec, { paused: true, ...(timeZone ? { timezone: timeZone } : {}) });
  return { next: (ms) => cron.nextRun(new Date(ms))?.getTime() };
}

/** `@every 90s`: a constant delay of at least a second, activations on whole seconds. */
function everySchedule(duration: string): Schedule {
  let total = 0;
  for (const m of duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  const delay = Math.max(1000, Math.floor(total / 1000) * 1000);
  return { next: (ms) => ms - (ms % 1000) + delay };
}

export type Missed = 'none' | 'few' | 'many';

export interface RecentSchedule {
  /** The time activations are counted from: last schedule, creation, or the starting deadline. */
  earliest: number;
  /** The latest activation not after `now`, if any since `earliest`. */
  mostRecent?: number;
  missed: Missed;
  /** How many activations were missed (approximately, as Kubernetes counts them). */
  missedCount: number;
}

/**
 * The most recent unmet activation (mostRecentScheduleTime). Throws when the schedule never fires
 * or fires twice within a second (`59 23 31 2 *`).
 */
export function mostRecentScheduleTime(sched: Schedule, now: number, created: number, lastSchedule?: number, startingDeadlineSeconds?: number): RecentSchedule {
  let earliest = lastSchedule ?? created;
  if (startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now - startingDeadlineSeconds * 1000);
  const t1 = sched.next(earliest);
  const t2 = t1 === undefined ? undefined : sched.next(t1);
  if (t1 !== undefined && now < t1) return { earliest, missed: 'none', missedCount: 0 };
  if (t1 !== undefined && t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: 'none', missedCount: 0 };
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (between < 1) throw new Error('time difference between two schedules is less than 1 second');
  const missedCount = Math.floor((now - t1!) / 1000 / between) + 1;
  // Jump close to `now` and let the schedule find the exact last activation from there.
  let mostRecent: number | undefined;
  for (let t = sched.next(t1! + (missedCount - 2) * between * 1000); t !== undefined && t <= now; t = sched.next(t)) mostRecent = t;
  return { earliest, mostRecent, missed: missedCount > 100 ? 'many' : 'few', missedCount };
}

/** Next activation after the last one before `now`, plus 100 ms for clock skew (nextScheduleTimeDuration). */
export function nextScheduleDelay(sched: Schedule, now: number, created: number, lastSchedule?: number): number | undefined {
  let from: number;
  try {
    const r = mostRecentScheduleTime(sched, now, created, lastSchedule);
    from = r.mostRecent ?? (r.missed === 'none' ? r.earliest : now);
  } catch {
    from = now;
  }
  const next = sched.next(from);
  return next === undefined ? undefined : next + 100 - now;
}
