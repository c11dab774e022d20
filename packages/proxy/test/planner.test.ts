// The listener table, fed one Service at a time, always holds what the pure `desiredListeners` plans
// over all Services, and reports exactly the listener keys that changed (a contested address passes
// to the next Service by name when its holder goes).
import { describe, expect, it } from 'vitest';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { desiredListeners, serviceListeners, slicesByService } from '../src/plan.js';
import { ListenerTable } from '../src/planner.js';

const service = (name: string, clusterIP: string, extra: Partial<Service['spec']> = {}): Service => ({
  metadata: { name, namespace: 'default' },
  spec: { clusterIP, ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...extra },
});

const slice = (svc: string, ips: string[]): EndpointSlice => ({
  metadata: { name: `${svc}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
});

const NODES = ['127.10.0.1'];
const a = service('a', '127.96.0.2');
const b = service('b', '127.96.0.3', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] });
const c = service('c', '127.96.0.3'); // wants b's cluster IP: b keeps it while it exists
const slices = [slice('a', ['127.244.1.2']), slice('b', ['127.244.1.3']), slice('c', ['127.244.1.4'])];

/** Sets Service `name` (absent: deleted) in the table; returns the changed keys, `key=backends|closed`. */
function set(table: ListenerTable, name: string, svc: Service | undefined): string[] {
  const own = slicesByService(slices).get(`default/${name}`) ?? [];
  const changes = table.set(`default/${name}`, svc ? serviceListeners(svc, own, NODES) : []);
  return [...changes].map(([key, spec]) => `${key}=${spec ? spec.backends.map((x) => x.ip).join(',') : 'closed'}`).sort();
}

describe('ListenerTable', () => {
  // Each step changes one Service; the table then equals desiredListeners over the Services present.
  const steps: [string, string, Service | undefined, string[]][] = [
    ['a appears', 'a', a, ['127.96.0.2:80=127.244.1.2']],
    ['b appears with a NodePort', 'b', b, ['127.0.0.1:30080=127.244.1.3', '127.10.0.1:30080=127.244.1.3', '127.96.0.3:80=127.244.1.3']],
    ['c asks for b\'s address: b keeps it', 'c', c, []],
    ['b goes: c takes the address, the NodePorts close', 'b', undefined, ['127.0.0.1:30080=closed', '127.10.0.1:30080=closed', '127.96.0.3:80=127.244.1.4']],
    ['a goes', 'a', undefined, ['127.96.0.2:80=closed']],
    ['a goes again: nothing', 'a', undefined, []],
  ];

  it('reports the changed keys and equals desiredListeners after each change', () => {
    const table = new ListenerTable();
    const present = new Map<string, Service>();
    for (const [step, name, svc, changed] of steps) {
      expect(set(table, name, svc), step).toEqual(changed);
      if (svc) present.set(name, svc);
      else present.delete(name);
      const want = desiredListeners([...present.values()], slices, NODES).sort((x, y) => (x.key < y.key ? -1 : 1));
      expect(table.listeners, step).toEqual(want);
    }
  });

  it('lists the Services that have listeners', () => {
    const table = new ListenerTable();
    set(table, 'a', a);
    set(table, 'b', b);
    set(table, 'a', undefined);
    expect(table.services).toEqual(['default/b']);
  });
});
