import { describe, expect, it } from 'vitest';
import { escapeFieldValue, fieldSelectorFromSet, parseFieldSelector, StatusError } from '../src/index.js';

const pod: Record<string, string> = { 'metadata.name': 'web-1', 'spec.nodeName': 'n1', 'status.phase': 'Running', 'metadata.namespace': 'a,b=c' };
const get = (f: string): string | undefined => pod[f];

describe('parseFieldSelector', () => {
  it.each([
    ['', true, ''],
    ['metadata.name=web-1', true, 'metadata.name=web-1'],
    ['metadata.name==web-1', true, 'metadata.name=web-1'],
    ['metadata.name!=web-1', false, 'metadata.name!=web-1'],
    ['status.phase!=Failed,spec.nodeName=n1', true, 'spec.nodeName=n1,status.phase!=Failed'],
    ['spec.nodeName=n2,status.phase=Running', false, 'spec.nodeName=n2,status.phase=Running'],
    ['spec.missing=', true, 'spec.missing='],
    ['spec.missing!=', false, 'spec.missing!='],
    ['metadata.namespace=a\\,b\\=c', true, 'metadata.namespace=a\\,b\\=c'],
    ['spec.nodeName=n1,', true, 'spec.nodeName=n1'],
  ])('%j → %s', (sel, want, str) => {
    const s = parseFieldSelector(sel);
    expect(s.matches(get)).toBe(want);
    expect(s.toString()).toBe(str);
  });

  it('exposes requirements and exact matches', () => {
    const s = parseFieldSelector('spec.nodeName=n1,metadata.name!=x');
    expect(s.requirements).toEqual([
      { field: 'metadata.name', operator: '!=', value: 'x' },
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
    ]);
    expect(s.requiresExactMatch('spec.nodeName')).toBe('n1');
    expect(s.requiresExactMatch('metadata.name')).toBeUndefined();
    expect(s.empty()).toBe(false);
    expect(parseFieldSelector('').empty()).toBe(true);
  });

  it.each([
    ['nonsense', "invalid selector: 'nonsense'; can't understand 'nonsense'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: ='],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('rejects %j', (sel, message) => {
    let err: unknown;
    try {
      parseFieldSelector(sel);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(400);
    expect((err as StatusError).message).toBe(message);
  });

  it('round-trips escaped values and builds from a set', () => {
    const value = 'x,y=z\\w';
    expect(parseFieldSelector(`metadata.name=${escapeFieldValue(value)}`).requiresExactMatch('metadata.name')).toBe(value);
    const s = fieldSelectorFromSet({ 'spec.nodeName': 'n1', 'metadata.name': 'web-1' });
    expect(s.toString()).toBe('metadata.name=web-1,spec.nodeName=n1');
    expect(s.matches(get)).toBe(true);
  });
});
