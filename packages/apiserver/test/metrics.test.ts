// The metrics API's conversion of kubelet summaries into PodMetrics and NodeMetrics.
import type { KObject } from '@mini-kube/api';
import { describe, expect, it } from 'vitest';
import { nodeMetrics, podMetrics, usageOf } from '../src/metrics/convert.js';
import { kubeletURL } from '../src/metrics/summary.js';

describe('metrics API conversion', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const summaries = [
    {
      node: { nodeName: 'n1', cpu: { time: '2025-01-01T00:00:00Z', usageNanoCores: 1_500_000 }, memory: { workingSetBytes: 2 * 1024 * 1024 } },
      pods: [{ podRef: { name: 'web', namespace: 'default', uid: 'u1' }, containers: [{ name: 'a', cpu: { usageNanoCores: 1_234_567 }, memory: { workingSetBytes: 10 * 1024 * 1024 } }] }],
    },
  ];
  const obj = (name: string, uid: string, labels?: Record<string, string>): KObject => ({ metadata: { name, namespace: 'default', uid, ...(labels ? { labels } : {}) } });

  it.each([
    [{ cpu: { usageNanoCores: 1_234_567 }, memory: { workingSetBytes: 10_485_760 } }, { cpu: '1234567n', memory: '10240Ki' }],
    [{}, { cpu: '0n', memory: '0Ki' }],
  ])('usage %j', (stats, want) => expect(usageOf(stats)).toEqual(want));

  it('builds PodMetrics for the pods a summary reports on', () => {
    const items = podMetrics([obj('web', 'u1', { app: 'web' }), obj('other', 'u2')], summaries, now);
    expect(items).toEqual([
      {
        kind: 'PodMetrics',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: { name: 'web', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z', labels: { app: 'web' } },
        timestamp: '2025-01-01T00:00:00Z',
        window: '10s',
        containers: [{ name: 'a', usage: { cpu: '1234567n', memory: '10240Ki' } }],
      },
    ]);
  });

  it('builds NodeMetrics for the nodes that answered', () => {
    const items = nodeMetrics([{ metadata: { name: 'n1' } }, { metadata: { name: 'n2' } }], summaries, now);
    expect(items.map((i) => [i.metadata.name, (i as { usage?: unknown }).usage])).toEqual([['n1', { cpu: '1500000n', memory: '2048Ki' }]]);
  });

  it('finds a kubelet from the Node object', () => {
    const node = { metadata: { name: 'n1' }, status: { addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '127.5.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 4321 } } } };
    expect(kubeletURL(node)).toBe('http://127.5.0.1:4321');
    expect(kubeletURL({ metadata: { name: 'n' } })).toBeUndefined();
  });
});
