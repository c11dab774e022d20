// Offline tests of the protobuf body decoder: replays of real kubectl bodies (captured by
// protobuf-kubectl.test.ts) and hand-built messages for zero values, special types and bad input.
import { StatusError } from '@mini-kube/machinery';
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf } from '../src/protobuf/index.js';
import { KINDS, SCHEMA } from '../src/protobuf/schema.js';
import { comparable, loadFixtures } from './fixtures/protobuf/fixtures.js';

// ---- a tiny encoder, enough to build test messages ----
const varint = (n: bigint | number): number[] => {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? low | 0x80 : low);
  } while (v);
  return out;
};
const tag = (field: number, wire: number): number[] => varint((field << 3) | wire);
const int = (field: number, n: bigint | number): number[] => [...tag(field, 0), ...varint(n)];
const bytes = (field: number, data: number[] | string): number[] => {
  const raw = typeof data === 'string' ? [...Buffer.from(data)] : data;
  return [...tag(field, 2), ...varint(raw.length), ...raw];
};
const entry = (field: number, key: string, value: number[] | string): number[] =>
  bytes(field, [...bytes(1, key), ...bytes(2, value)]);
const envelope = (apiVersion: string, kind: string, raw: number[], extra: number[] = []): Uint8Array =>
  new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...bytes(1, [...bytes(1, apiVersion), ...bytes(2, kind)]), ...bytes(2, raw), ...extra]);

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('captured kubectl bodies', () => {
  const fixtures = loadFixtures();

  it('has a fixture for every generator the brief names', () => {
    const names = fixtures.map((f) => f.name);
    for (const n of ['deployment', 'namespace', 'configmap', 'secret', 'service-clusterip', 'job', 'cronjob', 'serviceaccount', 'ingress']) {
      expect(names).toContain(n);
    }
  });

  for (const f of fixtures) {
    it(`decodes ${f.name} like kubectl's --dry-run=client -o json`, () => {
      const decoded = decodeKubernetesProtobuf(Buffer.from(f.bodyHex, 'hex'));
      expect(comparable(decoded)).toEqual(comparable(f.dryRun));
    });
  }

  it('keeps the shapes JSON has: empty structs, base64 data, int-or-string ports, empty map values', () => {
    const byName = new Map(fixtures.map((f) => [f.name, decodeKubernetesProtobuf(Buffer.from(f.bodyHex, 'hex'))]));
    const deploy = byName.get('deployment') as any;
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.strategy).toEqual({});
    expect(deploy.spec.template.spec.containers[0]).toEqual({
      name: 'nginx',
      image: 'nginx:1.25',
      ports: [{ containerPort: 80 }],
      resources: {},
    });
    expect((byName.get('secret') as any).data).toEqual({ k: Buffer.from('v').toString('base64') });
    expect((byName.get('configmap') as any).data).toEqual({ a: 'b', empty: '' });
    expect((byName.get('service-clusterip') as any).spec.ports[0].targetPort).toBe(8080);
    expect((byName.get('service-loadbalancer') as any).spec.ports[0].targetPort).toBe('http');
  });

  it('rejects every truncation of a real body with a 400, never another error', () => {
    const body = Buffer.from(fixtures.find((f) => f.name === 'deployment')!.bodyHex, 'hex');
    let rejected = 0;
    for (let n = 0; n < body.length; n++) {
      try {
        decodeKubernetesProtobuf(body.subarray(0, n));
      } catch (err) {
        expect(err).toBeInstanceOf(StatusError);
        expect((err as StatusError).code).toBe(400);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(body.length / 2);
  });
});

describe('hand-built messages', () => {
  const meta = (name: string): number[] => bytes(1, bytes(1, name));

  it('keeps zero values of pointer fields and drops those of plain fields', () => {
    const rollingUpdate = bytes(2, [...bytes(1, [...int(1, 1), ...bytes(3, '25%')]), ...bytes(2, int(2, 0))]);
    // replicas, minReadySeconds, paused, revisionHistoryLimit, strategy
    const spec = [...int(1, 0), ...int(5, 0), ...int(7, 0), ...int(6, 0), ...bytes(4, [...bytes(1, ''), ...rollingUpdate])];
    const obj = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', [...meta('d'), ...bytes(2, spec)]));
    expect(obj.spec).toEqual({
      replicas: 0,
      revisionHistoryLimit: 0,
      strategy: { rollingUpdate: { maxUnavailable: '25%', maxSurge: 0 } },
    });
    expect(obj.metadata).toEqual({ name: 'd' });
  });

  it('skips unknown fields of every wire type', () => {
    const unknown = [...int(90, 7), ...tag(91, 1), 1, 2, 3, 4, 5, 6, 7, 8, ...bytes(92, 'x'), ...tag(93, 5), 1, 2, 3, 4];
    const obj = decodeKubernetesProtobuf(envelope('v1', 'Namespace', [...unknown, ...meta('ns'), ...unknown]));
    expect(obj).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
  });

  it('decodes times, quantities, negative and packed integers, and inlined structs', () => {
    const container = [
      ...bytes(1, 'c'),
      ...bytes(8, entry(1, 'cpu', bytes(1, '250m'))), // resources.limits
      ...bytes(10, [...bytes(1, bytes(2, [...bytes(1, '/healthz'), ...bytes(2, [...int(1, 1), ...bytes(3, 'http')])])), ...int(3, 5)]),
      ...bytes(15, int(4, -1)), // securityContext.runAsUser
      ...bytes(25, [...bytes(1, 'Restart'), ...bytes(2, [...bytes(1, 'In'), ...bytes(2, [...varint(1), ...varint(42)])])]),
    ];
    const podSpec = [...bytes(2, container), ...int(4, 30)];
    const metadata = [...bytes(1, 'p'), ...bytes(8, [...int(1, 1_700_000_000), ...int(2, 5)]), ...bytes(9, [])];
    const obj = decodeKubernetesProtobuf(envelope('v1', 'Pod', [...bytes(1, metadata), ...bytes(2, podSpec)])) as any;
    expect(obj.metadata).toEqual({ name: 'p', creationTimestamp: '2023-11-14T22:13:20Z' });
    expect(obj.spec.terminationGracePeriodSeconds).toBe(30);
    expect(obj.spec.containers[0]).toEqual({
      name: 'c',
      resources: { limits: { cpu: '250m' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, timeoutSeconds: 5 },
      securityContext: { runAsUser: -1 },
      restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [1, 42] } }],
    });
  });

  it('answers 415 for kinds it has no table for, naming the kind', () => {
    const err = statusOf(() => decodeKubernetesProtobuf(envelope('authentication.k8s.io/v1', 'TokenRequest', [])));
    expect(err.code).toBe(415);
    expect(err.message).toContain('TokenRequest');
  });

  it.each([
    ['no magic', new Uint8Array([0x0a, 0x00])],
    ['an empty body', new Uint8Array()],
    ['an envelope without kind', envelope('v1', '', [])],
    ['a gzip contentEncoding', envelope('v1', 'Namespace', [], bytes(3, 'gzip'))],
    ['an 11-byte varint', envelope('v1', 'Namespace', [...tag(1, 0), ...Array(10).fill(0xff), 0x01])],
    ['a string field sent as a varint', envelope('v1', 'Namespace', int(1, 3))],
    ['a group wire type', envelope('v1', 'Namespace', tag(5, 3))],
    ['a time past year 9999', envelope('v1', 'Namespace', bytes(1, bytes(8, int(1, 1e13))))],
    ['managedFields with non-JSON fieldsV1', envelope('v1', 'Namespace', bytes(1, bytes(17, bytes(7, bytes(1, '{')))))],
  ])('rejects %s with a 400', (_what, body) => {
    const err = statusOf(() => decodeKubernetesProtobuf(body));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
  });
});

describe('schema table', () => {
  it('has a message for every accepted kind, with metadata as field 1', () => {
    for (const message of KINDS.values()) {
      expect(SCHEMA.get(message)?.get(1)?.type).toBe('ObjectMeta');
    }
  });
});
