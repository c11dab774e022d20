import { describe, expect, it } from 'vitest';
import { getCondition, isConditionTrue, removeCondition, setCondition, type Condition } from '../src/index.js';

const T0 = '2024-01-01T00:00:00Z';
const T1 = '2024-01-01T00:05:00Z';

describe('conditions', () => {
  const initial: Condition[] = [{ type: 'Ready', status: 'False', reason: 'Starting', message: 'wait', lastTransitionTime: T0 }];

  it.each([
    // [condition, expected lastTransitionTime]
    [{ type: 'Ready', status: 'False', reason: 'StillStarting' }, T0],
    [{ type: 'Ready', status: 'True', reason: 'Up' }, T1],
    [{ type: 'Ready', status: 'True', lastTransitionTime: '2023-12-31T00:00:00Z' }, '2023-12-31T00:00:00Z'],
  ])('set %j keeps or moves the transition time', (cond, time) => {
    const out = setCondition(initial, cond, T1);
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual({ ...cond, lastTransitionTime: time });
    expect(initial[0]!.status).toBe('False');
  });

  it('appends new types and reads, tests and removes them', () => {
    const out = setCondition(initial, { type: 'Available', status: 'True' }, T1);
    expect(out.map((c) => c.type)).toEqual(['Ready', 'Available']);
    expect(getCondition(out, 'Available')?.lastTransitionTime).toBe(T1);
    expect(isConditionTrue(out, 'Available')).toBe(true);
    expect(isConditionTrue(out, 'Ready')).toBe(false);
    expect(isConditionTrue(undefined, 'Ready')).toBe(false);
    expect(removeCondition(out, 'Ready').map((c) => c.type)).toEqual(['Available']);
  });
});
