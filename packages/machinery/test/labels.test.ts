import { describe, expect, it } from 'vitest';
import { parseSelector, selectorFromLabelSelector, selectorFromSet, cachedSelectorFromLabelSelector, StatusError, validateLabelKey, validateLabelValue } from '../src/index.js';

const web = { app: 'web', tier: 'fe', n: '5' };

describe('parseSelector', () => {
  it.each([
    // [selector, labels, matches, canonical string]
    ['', web, true, ''],
    ['app=web', web, true, 'app=web'],
    ['app==web', web, true, 'app==web'],
    ['app!=web', web, false, 'app!=web'],
    ['app!=db', web, true, 'app!=db'],
    ['missing!=x', web, true, 'missing!=x'],
    ['app in (db,web)', web, true, 'app in (db,web)'],
    ['app in (web, db)', web, true, 'app in (db,web)'],
    ['app notin (web)', web, false, 'app notin (web)'],
    ['missing notin (web)', web, true, 'missing notin (web)'],
    ['app', web, true, 'app'],
    ['!app', web, false, '!app'],
    ['!missing', web, true, '!missing'],
    ['  tier = fe ,  app  ', web, true, 'app,tier=fe'],
    ['tier=fe,app=db', web, false, 'app=db,tier=fe'],
    ['n>3', web, true, 'n>3'],
    ['n<3', web, false, 'n<3'],
    ['app=', { app: '' }, true, 'app='],
    ['app in (,web)', { app: '' }, true, 'app in (,web)'],
    ['x in (in,notin)', { x: 'in' }, true, 'x in (in,notin)'],
    ['x in (foo,,baz),y,z notin ()', { x: '', y: '1' }, true, 'x in (,baz,foo),y,z notin ()'],
    ['example.com/role=db', { 'example.com/role': 'db' }, true, 'example.com/role=db'],
  ])('%j on %j → %s', (sel, labels, want, str) => {
    const s = parseSelector(sel);
    expect(s.matches(labels)).toBe(want);
    expect(s.toString()).toBe(str);
  });

  it('treats undefined labels as an empty set', () => {
    expect(parseSelector('!a').matches(undefined)).toBe(true);
    expect(parseSelector('a').matches(undefined)).toBe(false);
    expect(parseSelector('').empty()).toBe(true);
    expect(parseSelector('a').empty()).toBe(false);
  });

  it.each([
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ['a=b,', "found '', expected: identifier after ','"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a=(b)', "unable to parse requirement: found '(', expected: identifier"],
    ['n>x', 'unable to parse requirement: values[0]: Invalid value: "x": for \'Gt\', \'Lt\' operators, the value must be an integer'],
    ['-a=b', 'unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters'],
    ['a=b$', 'unable to parse requirement: values[0][a]: Invalid value: "b$": a valid label must be an empty string'],
  ])('rejects %j', (sel, message) => {
    let err: unknown;
    try {
      parseSelector(sel);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(400);
    expect((err as StatusError).message.startsWith(message)).toBe(true);
  });
});

describe('selectorFromLabelSelector', () => {
  it('matches nothing for null and everything for {}', () => {
    expect(selectorFromLabelSelector(null).matches({})).toBe(false);
    expect(selectorFromLabelSelector(undefined).matches(web)).toBe(false);
    expect(selectorFromLabelSelector(undefined).empty()).toBe(false);
    expect(selectorFromLabelSelector({}).matches(web)).toBe(true);
    expect(selectorFromLabelSelector({}).empty()).toBe(true);
  });

  it.each([
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'web', tier: 'be' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'gone', operator: 'DoesNotExist' }] }, true],
  ])('%j → %s', (sel, want) => {
    expect(selectorFromLabelSelector(sel).matches(web)).toBe(want);
  });

  it('prints the Go string form', () => {
    const s = selectorFromLabelSelector({ matchLabels: { b: '1' }, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['y', 'x'] }] });
    expect(s.toString()).toBe('a notin (x,y),b=1');
  });

  it.each([
    [{ matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '"Foo" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'values set must be empty for exists and does not exist'],
  ])('rejects %j', (sel, message) => {
    expect(() => selectorFromLabelSelector(sel)).toThrow(message);
  });
});

describe('selectorFromSet', () => {
  it('matches exactly the set, and everything when empty', () => {
    expect(selectorFromSet({ app: 'web' }).matches(web)).toBe(true);
    expect(selectorFromSet({ app: 'db' }).matches(web)).toBe(false);
    expect(selectorFromSet({}).matches(web)).toBe(true);
    expect(selectorFromSet({ b: '2', a: '1' }).toString()).toBe('a=1,b=2');
  });
});

describe('label key and value validation', () => {
  it.each([
    ['app', []],
    ['example.com/app', []],
    ['app.kubernetes.io/name', []],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    ['/app', ['prefix part must be non-empty']],
    ['Example.com/app', ['prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters']],
    ['a/b/c', ['a qualified name must consist of alphanumeric characters']],
    ['', ['name part must be non-empty', 'name part must consist of alphanumeric characters']],
  ])('key %j', (key, prefixes) => {
    const errs = validateLabelKey(key);
    expect(errs.length).toBe(prefixes.length);
    prefixes.forEach((p, i) => expect(errs[i]!.startsWith(p)).toBe(true));
  });

  it('words the regex error as Go does', () => {
    expect(validateLabelValue('bad value')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
    expect(validateLabelValue('')).toEqual([]);
    expect(validateLabelValue('x'.repeat(64))[0]).toBe('must be no more than 63 characters');
  });
});

describe('cachedSelectorFromLabelSelector', () => {
  it('parses equal LabelSelectors once, as selectorFromLabelSelector does', () => {
    const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] };
    const parsed = cachedSelectorFromLabelSelector(sel);
    expect(parsed.toString()).toBe(selectorFromLabelSelector(sel).toString());
    expect(cachedSelectorFromLabelSelector(sel)).toBe(parsed);
    expect(cachedSelectorFromLabelSelector(structuredClone(sel))).toBe(parsed);
    expect(cachedSelectorFromLabelSelector({ matchLabels: { app: 'db' } }).matches({ app: 'web' })).toBe(false);
    expect(parsed.matches({ app: 'web', tier: 'b' })).toBe(true);
    expect(cachedSelectorFromLabelSelector(undefined).matches({})).toBe(false);
  });

  it('throws the same error for an invalid one each time', () => {
    const bad = { matchExpressions: [{ key: 'a', operator: 'Near' }] };
    expect(() => cachedSelectorFromLabelSelector(bad)).toThrow(/"Near" is not a valid label selector operator/);
    expect(() => cachedSelectorFromLabelSelector(bad)).toThrow(/"Near" is not a valid label selector operator/);
  });
});
