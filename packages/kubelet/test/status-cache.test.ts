import { describe, expect, it } from 'vitest';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import { cacheHolds } from '../src/status-writer.js';

const running: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null as unknown as string }], podIP: '127.244.1.2' };
const pod = (resourceVersion: string, status: PodStatus): Pod => ({ metadata: { name: 'p', resourceVersion }, status });

describe('cacheHolds: when the kubelet may drop its copy of the status it wrote', () => {
  it.each([
    ['the cache is behind our write', pod('7', running), '8', running, false],
    ['the cache holds our write, as written', pod('8', structuredClone(running)), '8', running, true],
    ['the cache holds our write, changed by the server', pod('8', { ...running, podIP: '127.244.1.3' }), '8', running, false],
    ['someone wrote after us', pod('9', { ...running, phase: 'Succeeded' }), '8', running, true],
    ['our write has no resourceVersion (never preferred to the cache)', pod('9', running), '', running, true],
  ])('%s → %s', (_what, cached, writtenVersion, writtenStatus, expected) => {
    expect(cacheHolds(cached, { status: writtenStatus, resourceVersion: writtenVersion })).toBe(expected);
  });
});
