// Whether a CronJob starts a Job now (the scheduling half of syncCronJob), pure. Only the most
// recent missed activation ever runs; startingDeadlineSeconds bounds how late it may start (as
// activations older than the deadline are never considered, Kubernetes' separate "too late" check
// — the MissSchedule event — cannot trigger here and is left out).
import type { CronJob } from 'kubernetes-types/batch/v1';
import { mostRecentScheduleTime, nextScheduleDelay, parseSchedule, timeZoneError, type Schedule } from './schedule.js';
import { jobName } from './job-template.js';
import type { PlannedEvent } from './types.js';

export interface SchedulePlan {
  /** Start the Job of this activation (ms). */
  run?: number;
  /** Delete the active Jobs first (concurrencyPolicy Replace). */
  replace?: boolean;
  events: PlannedEvent[];
  /** Sync again after this long (the next activation), ms. */
  requeueAfterMs?: number;
}

export function planSchedule(cj: CronJob, now: number): SchedulePlan {
  const spec = cj.spec;
  const events: PlannedEvent[] = [];
  if (cj.metadata?.deletionTimestamp) return { events };
  const zone = spec?.timeZone ?? undefined;
  const zoneErr = zone ? timeZoneError(zone) : undefined;
  if (zoneErr) return { events: [{ type: 'Warning', reason: 'UnknownTimeZone', message: `invalid timeZone: "${zone}": ${zoneErr}` }] };
  if (spec?.suspend) return { events };

  let sched: Schedule;
  try {
    sched = parseSchedule(spec?.schedule ?? '', zone);
  } catch (err) {
    return { events: [{ type: 'Warning', reason: 'UnparseableSchedule', message: `unparseable schedule: "${spec?.schedule}" : ${(err as Error).message}` }] };
  }
  const created = Date.parse(cj.metadata?.creationTimestamp ?? '') || now;
  const last = cj.status?.lastScheduleTime ? Date.parse(cj.status.lastScheduleTime) : undefined;
  const requeue = (): number | undefined => nextScheduleDelay(sched, now, created, last);

  let scheduled: number | undefined;
  try {
    const recent = mostRecentScheduleTime(sched, now, created, last, spec?.startingDeadlineSeconds ?? undefined);
    scheduled = recent.mostRecent;
    if (scheduled !== undefined && recent.missed === 'many') {
      events.push({
        type: 'Warning',
        reason: 'TooManyMissedTimes',
        message: `too many missed start times: ${recent.missedCount}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
      });
    }
  } catch (err) {
    return { events: [{ type: 'Warning', reason: 'InvalidSchedule', message: `invalid schedule: ${spec?.schedule} : ${(err as Error).message}` }] };
  }
  if (scheduled === undefined) return { events, requeueAfterMs: requeue() };

  const name = jobName(cj.metadata?.name ?? '', scheduled);
  if ((cj.status?.active ?? []).some((r) => r.name === name) || last === scheduled) return { events, requeueAfterMs: requeue() };
  if (spec?.concurrencyPolicy === 'Forbid' && (cj.status?.active?.length ?? 0) > 0) {
    events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
    return { events, requeueAfterMs: requeue() };
  }
  return { run: scheduled, replace: spec?.concurrencyPolicy === 'Replace', events };
}
