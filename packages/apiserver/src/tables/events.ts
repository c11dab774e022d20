// The event printer. core/v1 and events.k8s.io/v1 events are the same stored objects under two
// schemas, and the real server prints both with one printer; each is first read into one shape.
import { humanDuration } from '@mini-kube/machinery';
import type { Event as CoreEvent } from 'kubernetes-types/core/v1';
import type { Event as EventsV1Event } from 'kubernetes-types/events/v1';
import { column, convertor, nameColumn, wide } from './columns.js';

interface EventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  kind: string;
  objectName: string;
  fieldPath: string;
  component: string;
  host: string;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count: number;
  series?: { count: number; lastObservedTime: string };
}

function coreView(e: CoreEvent): EventView {
  return {
    name: e.metadata?.name ?? '',
    type: e.type ?? '',
    reason: e.reason ?? '',
    message: e.message ?? '',
    kind: e.involvedObject?.kind ?? '',
    objectName: e.involvedObject?.name ?? '',
    fieldPath: e.involvedObject?.fieldPath ?? '',
    component: e.source?.component || e.reportingComponent || '',
    host: e.source?.host || e.reportingInstance || '',
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    eventTime: e.eventTime,
    count: e.count ?? 0,
    series: e.series?.lastObservedTime ? { count: e.series.count ?? 0, lastObservedTime: e.series.lastObservedTime } : undefined,
  };
}

function eventsV1View(e: EventsV1Event): EventView {
  return {
    name: e.metadata?.name ?? '',
    type: e.type ?? '',
    reason: e.reason ?? '',
    message: e.note ?? '',
    kind: e.regarding?.kind ?? '',
    objectName: e.regarding?.name ?? '',
    fieldPath: e.regarding?.fieldPath ?? '',
    component: e.deprecatedSource?.component || e.reportingController || '',
    host: e.deprecatedSource?.host || e.reportingInstance || '',
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    eventTime: e.eventTime,
    count: e.deprecatedCount ?? 0,
    series: e.series,
  };
}

function since(ts: string | undefined, now: number): string | undefined {
  const at = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(at) ? undefined : humanDuration(now - at);
}

function eventCells(e: EventView, now: number): unknown[] {
  const firstSeen = since(e.firstTimestamp, now) ?? since(e.eventTime, now) ?? '<unknown>';
  let lastSeen = since(e.lastTimestamp, now) ?? firstSeen;
  let count = e.count;
  if (e.series) {
    lastSeen = since(e.series.lastObservedTime, now) ?? '<unknown>';
    count = e.series.count;
  } else if (count === 0) {
    count = 1; // events.k8s.io singletons carry no count
  }
  const kind = e.kind.toLowerCase();
  return [
    lastSeen,
    e.type,
    e.reason,
    e.objectName ? `${kind}/${e.objectName}` : kind,
    e.fieldPath,
    e.host ? `${e.component}, ${e.host}` : e.component,
    e.message.trim(),
    firstSeen,
    count,
    e.name,
  ];
}

const eventColumns = () => [
  column('Last Seen'),
  column('Type'),
  column('Reason'),
  column('Object'),
  wide('Subobject'),
  wide('Source'),
  column('Message'),
  wide('First Seen'),
  wide('Count'),
  wide('Name', { format: 'name', description: nameColumn().description }),
];

export const coreEventConvertor = convertor<CoreEvent>(eventColumns(), (e, now) => eventCells(coreView(e), now));

export const eventsV1EventConvertor = convertor<EventsV1Event>(eventColumns(), (e, now) => eventCells(eventsV1View(e), now));
