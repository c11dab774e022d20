// Streams a watch as newline-delimited JSON events into a sink whose headers went out at once:
// kubectl waits for them before it starts its own timeout (kubectl-wire §0.4).
import type { KObject, ResourceInfo, WatchEvent } from '@mini-kube/api';
import { groupVersion } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import { jsonOf, knownJsonWithoutManagedFields } from '../registry/codec.js';
import type { Registry, WatchOptions } from '../registry/registry.js';
import type { StreamSink } from './exchange.js';
import { toTable, type IncludeObject } from './table.js';

export interface WatchStreamOptions extends WatchOptions {
  namespace?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  asTable?: boolean;
  includeObject?: IncludeObject;
  bookmarkIntervalMs?: number;
  /** Leave managedFields out of the objects whose text without them is known (see OMIT_MANAGED_FIELDS_HEADER). */
  omitManagedFields?: boolean;
}

const DEFAULT_BOOKMARK_MS = 60_000;

// The registry shares one object per store event among its watchers: the line of such an event is
// made into bytes once, then written to every stream that sends it (no string to flatten and encode
// per watcher). Keyed by the object, with its event type (a filter can make the same change ADDED
// for one watcher and MODIFIED for another); apart, the lines without managedFields.
const sharedLines = new WeakMap<object, { type: string; line: Buffer }>();
const sharedLinesWithoutManagedFields = new WeakMap<object, { type: string; line: Buffer }>();

/**
 * The JSON line of an ADDED, MODIFIED or DELETED event carrying `object` as is, or without its
 * managedFields when `omitManagedFields` and its text without them is known.
 */
export function eventLine(type: string, object: object, omitManagedFields = false): Buffer {
  if (omitManagedFields) {
    const known = sharedLinesWithoutManagedFields.get(object);
    if (known?.type === type) return known.line;
    const without = knownJsonWithoutManagedFields(object);
    if (without !== undefined) return shareLine(sharedLinesWithoutManagedFields, object, type, without);
  }
  const known = sharedLines.get(object);
  if (known?.type === type) return known.line;
  return shareLine(sharedLines, object, type, jsonOf(object));
}

function shareLine(lines: WeakMap<object, { type: string; line: Buffer }>, object: object, type: string, json: string): Buffer {
  const line = Buffer.from(lineOf(type, json));
  lines.set(object, { type, line });
  return line;
}

/** `eventLine` as text, for a sink that takes text (its transport copies it once, as it is). */
export function eventText(type: string, object: object, omitManagedFields = false): string {
  return lineOf(type, (omitManagedFields && knownJsonWithoutManagedFields(object)) || jsonOf(object));
}

const lineOf = (type: string, json: string): string => `{"type":"${type}","object":${json}}\n`;

export async function streamWatch(registry: Registry, r: ResourceInfo, sink: StreamSink, options: WatchStreamOptions): Promise<void> {
  let columnsSent = false;
  const encode = (event: WatchEvent): string | Buffer => {
    if (event.type === 'ERROR' || event.type === 'BOOKMARK') return JSON.stringify(event) + '\n';
    if (!options.asTable) {
      if (sink.takesText) return eventText(event.type, event.object, options.omitManagedFields);
      return eventLine(event.type, event.object, options.omitManagedFields);
    }
    // Column definitions go with the first event only, as the real server does.
    const table = toTable(r, [event.object], {
      includeObject: options.includeObject,
      resourceVersion: event.object.metadata.resourceVersion,
      withColumns: !columnsSent,
    });
    columnsSent = true;
    return JSON.stringify({ type: event.type, object: table }) + '\n';
  };

  let lastRevision = options.resourceVersion ?? '0';
  const write = (event: WatchEvent): void => {
    if (event.object.metadata?.resourceVersion) lastRevision = event.object.metadata.resourceVersion;
    sink.write(encode(event));
  };

  let stop: (() => void) | undefined;
  const timers: NodeJS.Timeout[] = [];
  const finish = (): void => {
    stop?.();
    stop = undefined;
    timers.forEach(clearTimeout);
    timers.forEach(clearInterval);
    sink.end();
  };
  sink.onClose(finish);
  const fail = (err: StatusError): void => {
    if (!sink.closed) sink.write(JSON.stringify({ type: 'ERROR', object: err.toStatus() }) + '\n');
    finish();
  };

  try {
    stop = await registry.watch(r, options.namespace, options, write, fail);
  } catch (err) {
    if (err instanceof StatusError) return fail(err);
    finish();
    throw err;
  }
  if (sink.closed) {
    finish();
    return;
  }
  if (options.timeoutSeconds && options.timeoutSeconds > 0) timers.push(setTimeout(finish, options.timeoutSeconds * 1000));
  if (options.allowWatchBookmarks) {
    // A bookmark tells the client how far it has seen, so it can resume without a relist.
    const bookmark = async (): Promise<void> => {
      const revision = String(await registry.store.currentRevision());
      if (revision === lastRevision || sink.closed) return;
      const object = { kind: r.kind, apiVersion: groupVersion(r), metadata: { resourceVersion: revision } } as KObject;
      write({ type: 'BOOKMARK', object });
    };
    timers.push(setInterval(() => void bookmark(), options.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_MS));
  }
}
