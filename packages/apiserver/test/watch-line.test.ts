// A watch event's line is made into bytes once per shared object and event type, and reads as the
// JSON event a client parses.
import { describe, expect, it } from 'vitest';
import { eventLine, eventText } from '../src/http/watch-stream.js';
import { rememberJson } from '../src/registry/codec.js';

describe('eventLine', () => {
  it('is the event as one JSON line', () => {
    const object = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web', resourceVersion: '5' }, note: 'ünïcode ✓' };
    const line = eventLine('ADDED', object);
    expect(line.toString('utf8').endsWith('}\n')).toBe(true);
    expect(JSON.parse(line.toString('utf8'))).toEqual({ type: 'ADDED', object });
  });

  it('uses the recorded JSON of the object, and is shared by the watchers of one event', () => {
    const object = { kind: 'Pod' };
    rememberJson(object, '{"kind":"Pod","stored":true}');
    const first = eventLine('MODIFIED', object);
    expect(first.toString()).toBe('{"type":"MODIFIED","object":{"kind":"Pod","stored":true}}\n');
    expect(eventLine('MODIFIED', object)).toBe(first);
  });

  it('differs per event type for the same object', () => {
    const object = { kind: 'Pod', metadata: { name: 'p' } };
    const added = eventLine('ADDED', object);
    const deleted = eventLine('DELETED', object);
    expect(JSON.parse(deleted.toString()).type).toBe('DELETED');
    expect(JSON.parse(added.toString()).type).toBe('ADDED');
    expect(JSON.parse(eventLine('ADDED', object).toString()).type).toBe('ADDED');
  });

  it('is the same line as text, for a sink that takes text, with or without managedFields', () => {
    const object = { kind: 'Pod', metadata: { name: 'p', managedFields: [{ manager: 'm' }] } };
    const json = JSON.stringify(object);
    const at = json.indexOf(',"managedFields"');
    rememberJson(object, json, [at, json.length - 2]);
    expect(eventText('MODIFIED', object)).toBe(eventLine('MODIFIED', object).toString());
    expect(eventText('MODIFIED', object, true)).toBe(eventLine('MODIFIED', object, true).toString());
    expect(JSON.parse(eventText('MODIFIED', object, true)).object).toEqual({ kind: 'Pod', metadata: { name: 'p' } });
  });
});
