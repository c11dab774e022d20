// Pod rows, with the cases of printers_test.go (TestPrintPod, ...WithRestartableInitContainer, ...wide).
import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import type { Pod } from 'kubernetes-types/core/v1';
import { tableConvertorFor } from '../src/tables/index.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const S = 1000;
const DAY = 24 * 3600 * S;

const pods = tableConvertorFor('', 'Pod');
const row = (pod: Pod) => pods.cells(pod as KObject, NOW);
/** Name, Ready, Status, Restarts, Age. */
const narrow = (pod: Pod) => row(pod).slice(0, 5);

const containers = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `c${i}` }));
const running = { running: {} };
const lastTerminatedAgo = (ms: number) => ({ terminated: { exitCode: 1, finishedAt: ago(ms) } });

function pod(name: string, spec: Partial<NonNullable<Pod['spec']>>, status: Pod['status'], meta: Partial<Pod['metadata']> = {}): Pod {
  return { metadata: { name, ...meta }, spec: { containers: [], ...spec }, status };
}

describe('pod table', () => {
  it('declares the real columns, wide ones at priority 1', () => {
    expect(pods.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
  });

  it.each<[string, Pod, unknown[]]>([
    [
      'phase, ready count and restarts',
      pod('test1', { containers: containers(2) }, {
        phase: 'podPhase',
        containerStatuses: [
          { name: 'c0', image: '', imageID: '', ready: true, restartCount: 3, state: running },
          { name: 'c1', image: '', imageID: '', ready: false, restartCount: 3 },
        ],
      }),
      ['test1', '1/2', 'podPhase', '6', '<unknown>'],
    ],
    [
      'a waiting container overrides the phase',
      pod('test2', { containers: containers(2) }, {
        phase: 'podPhase',
        containerStatuses: [
          { name: 'c0', image: '', imageID: '', ready: true, restartCount: 3, state: running },
          { name: 'c1', image: '', imageID: '', ready: false, restartCount: 3, state: { waiting: { reason: 'ContainerWaitingReason' } } },
        ],
      }),
      ['test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>'],
    ],
    [
      'the first container reason wins',
      pod('test3', { containers: containers(2) }, {
        phase: 'podPhase',
        containerStatuses: [
          { name: 'c0', image: '', imageID: '', ready: false, restartCount: 3, state: { waiting: { reason: 'ContainerWaitingReason' } } },
          { name: 'c1', image: '', imageID: '', ready: false, restartCount: 3, state: { terminated: { exitCode: 0, reason: 'ContainerTerminatedReason' } } },
        ],
      }),
      ['test3', '0/2', 'ContainerWaitingReason', '6', '<unknown>'],
    ],
    [
      'status.reason beats the phase',
      pod('test5', { containers: containers(1) }, { reason: 'podReason', phase: 'podPhase' }),
      ['test5', '0/1', 'podReason', '0', '<unknown>'],
    ],
    [
      'completed beside running without Ready condition is NotReady',
      pod('test6', { containers: containers(2) }, {
        phase: 'Running',
        containerStatuses: [
          { name: 'c0', image: '', imageID: '', ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } },
          { name: 'c1', image: '', imageID: '', ready: true, restartCount: 3, state: running },
        ],
      }),
      ['test6', '1/2', 'NotReady', '6', '<unknown>'],
    ],
    [
      'completed beside running with Ready condition is Running',
      pod('test6', { containers: containers(2) }, {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'c0', image: '', imageID: '', ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } },
          { name: 'c1', image: '', imageID: '', ready: true, restartCount: 3, state: running },
        ],
      }),
      ['test6', '1/2', 'Running', '6', '<unknown>'],
    ],
    [
      'a restarting init container shows Init:0/1 and the restart age',
      pod('test7', { initContainers: containers(1), containers: containers(1) }, {
        phase: 'podPhase',
        initContainerStatuses: [{ name: 'c0', image: '', imageID: '', ready: false, restartCount: 3, state: running, lastState: lastTerminatedAgo(10 * S) }],
        containerStatuses: [{ name: 'c0', image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: {} } }],
      }),
      ['test7', '0/1', 'Init:0/1', '3 (10s ago)', '<unknown>'],
    ],
    [
      'init restarts add up across init containers',
      pod('test10', { initContainers: containers(2), containers: containers(1) }, {
        phase: 'podPhase',
        initContainerStatuses: [
          { name: 'c0', image: '', imageID: '', ready: false, restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: lastTerminatedAgo(120 * S) },
          { name: 'c1', image: '', imageID: '', ready: false, restartCount: 3, state: running, lastState: lastTerminatedAgo(10 * S) },
        ],
        containerStatuses: [{ name: 'c0', image: '', imageID: '', ready: false, state: { waiting: {} }, restartCount: 0 }],
      }),
      ['test10', '0/1', 'Init:1/2', '5 (10s ago)', '<unknown>'],
    ],
    [
      'after init, only app container restarts count',
      pod('test11', { initContainers: containers(1), containers: containers(1) }, {
        phase: 'Running',
        initContainerStatuses: [
          { name: 'c0', image: '', imageID: '', ready: false, restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: lastTerminatedAgo(120 * S) },
        ],
        containerStatuses: [{ name: 'c0', image: '', imageID: '', ready: false, restartCount: 4, state: running, lastState: lastTerminatedAgo(20 * S) }],
      }),
      ['test11', '0/1', 'Running', '4 (20s ago)', '<unknown>'],
    ],
    [
      'the most recent restart of any container',
      pod('test14', { containers: containers(2) }, {
        phase: 'Running',
        containerStatuses: [
          { name: 'c0', image: '', imageID: '', ready: true, restartCount: 6, state: running, lastState: lastTerminatedAgo(5 * DAY) },
          { name: 'c1', image: '', imageID: '', ready: true, restartCount: 3, state: running, lastState: lastTerminatedAgo(20 * DAY) },
        ],
      }),
      ['test14', '2/2', 'Running', '9 (5d ago)', '<unknown>'],
    ],
    [
      'scheduling gates',
      pod('test15', { containers: containers(2) }, { phase: 'podPhase', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      ['test15', '0/2', 'SchedulingGated', '0', '<unknown>'],
    ],
    [
      'a succeeded pod is Completed',
      pod('test16', { containers: containers(1) }, {
        phase: 'Succeeded',
        containerStatuses: [{ name: 'c0', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }],
      }),
      ['test16', '0/1', 'Completed', '0', '<unknown>'],
    ],
    [
      'a failed pod shows its container reason',
      pod('test17', { containers: containers(1) }, {
        phase: 'Failed',
        containerStatuses: [{ name: 'c0', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1 } } }],
      }),
      ['test17', '0/1', 'Error', '0', '<unknown>'],
    ],
    [
      'a deleted finished pod keeps its status',
      pod('test18', { containers: containers(1) }, {
        phase: 'Succeeded',
        containerStatuses: [{ name: 'c0', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }],
      }, { deletionTimestamp: ago(10 * S) }),
      ['test18', '0/1', 'Completed', '0', '<unknown>'],
    ],
    [
      'a deleted pending pod is Terminating',
      pod('test20', { containers: containers(1) }, { phase: 'Pending' }, { deletionTimestamp: ago(10 * S) }),
      ['test20', '0/1', 'Terminating', '0', '<unknown>'],
    ],
    [
      'a deleted pod on a lost node is Unknown',
      pod('lost', { containers: containers(1) }, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(10 * S) }),
      ['lost', '0/1', 'Unknown', '0', '<unknown>'],
    ],
    [
      'a crash-looping container',
      pod('crash', { containers: containers(1) }, {
        phase: 'Running',
        containerStatuses: [
          { name: 'c0', image: '', imageID: '', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: lastTerminatedAgo(300 * S) },
        ],
      }, { creationTimestamp: ago(3600 * S) }),
      ['crash', '0/1', 'CrashLoopBackOff', '2 (5m ago)', '60m'],
    ],
    [
      'a failed init container without reason shows its exit code',
      pod('initfail', { initContainers: containers(1), containers: containers(1) }, {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'c0', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }],
      }),
      ['initfail', '0/1', 'Init:ExitCode:3', '0', '<unknown>'],
    ],
  ])('%s', (_, input, expected) => {
    expect(narrow(input)).toEqual(expected);
  });

  describe('restartable init containers (sidecars)', () => {
    const sidecarSpec = {
      initContainers: [
        { name: 'restartable-init-1', restartPolicy: 'Always' },
        { name: 'restartable-init-2', restartPolicy: 'Always' },
      ],
      containers: containers(1),
    };

    it('counts sidecars in READY and waits for the unstarted one', () => {
      const p = pod('test1', sidecarSpec, {
        phase: 'Pending',
        conditions: [{ type: 'Initialized', status: 'False' }],
        initContainerStatuses: [
          { name: 'restartable-init-1', image: '', imageID: '', ready: false, restartCount: 3, state: running, started: true, lastState: lastTerminatedAgo(10 * S) },
          { name: 'restartable-init-2', image: '', imageID: '', ready: false, restartCount: 0, state: running, started: false },
        ],
        containerStatuses: [{ name: 'c0', image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: {} } }],
      });
      expect(narrow(p)).toEqual(['test1', '0/3', 'Init:1/2', '3 (10s ago)', '<unknown>']);
    });

    it('adds sidecar restarts to app restarts once initialized', () => {
      const p = pod('test2', sidecarSpec, {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [
          { name: 'restartable-init-1', image: '', imageID: '', ready: false, restartCount: 3, state: running, started: true, lastState: lastTerminatedAgo(10 * S) },
          { name: 'restartable-init-2', image: '', imageID: '', ready: false, restartCount: 0, state: running, started: true },
        ],
        containerStatuses: [{ name: 'c0', image: '', imageID: '', ready: true, restartCount: 4, state: running, lastState: lastTerminatedAgo(20 * S) }],
      });
      expect(narrow(p)).toEqual(['test2', '1/3', 'Running', '7 (10s ago)', '<unknown>']);
    });
  });

  describe('wide columns', () => {
    it('prints IP, node, nominated node and readiness gates', () => {
      const p = pod('test1', {
        containers: containers(2),
        nodeName: 'test1',
        readinessGates: [{ conditionType: 'condition1' }, { conditionType: 'condition2' }, { conditionType: 'condition3' }],
      }, {
        phase: 'podPhase',
        podIPs: [{ ip: '1.1.1.1' }, { ip: '2001:db8::' }],
        nominatedNodeName: 'node1',
        conditions: [
          { type: 'condition1', status: 'False' },
          { type: 'condition2', status: 'True' },
        ],
      });
      expect(row(p).slice(5)).toEqual(['1.1.1.1', 'test1', 'node1', '1/3']);
    });

    it('prints <none> for what is not known yet', () => {
      expect(row(pod('test2', { containers: containers(1) }, { phase: 'Pending' })).slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
    });

    it('falls back to status.podIP', () => {
      expect(row(pod('p', { containers: containers(1) }, { phase: 'Running', podIP: '127.244.0.5' }))[5]).toBe('127.244.0.5');
    });
  });
});
