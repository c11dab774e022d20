import { describe, expect, it } from 'vitest';
import { fitErrorMessage } from '../src/fit-error.js';
import { unresolvable, unschedulable } from '../src/status.js';

describe('fitErrorMessage', () => {
  const cordoned = unresolvable('node(s) were unschedulable');
  const cpu = unschedulable('Insufficient cpu');
  it.each([
    {
      name: 'mixed reasons, sorted, with the preemption summary',
      rejections: [cpu, cordoned, cpu],
      want:
        '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: ' +
        '1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    },
    {
      name: 'several reasons on one node all count',
      rejections: [unschedulable('Insufficient cpu', 'Insufficient memory')],
      want: '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    },
    {
      name: 'string order, as Go sorts: 10 before 2',
      rejections: [...Array(10).fill(cordoned), cpu, cpu],
      want:
        '0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/12 nodes are available: ' +
        '10 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    },
  ])('$name', ({ rejections, want }) => {
    expect(fitErrorMessage(rejections.length, rejections)).toBe(want);
  });

  it('says when the pod may not preempt', () => {
    expect(fitErrorMessage(1, [cpu], 'Never')).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  });
});
