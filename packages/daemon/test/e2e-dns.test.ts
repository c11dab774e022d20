// Cluster DNS end to end: the real kubectl against `mini-kubed --nodes 1 --runtime process`. The
// kube-dns Service looks as in a real cluster; a pod's glibc (getent) resolves Service names through
// the bind-mounted resolv.conf; a headless Service resolves to its pods and a StatefulSet pod to its
// own `<pod>.<service>` name; the host reaches the DNS at the cluster IP over UDP and, through the
// service proxy, over TCP.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';
import { parseFlags } from '../src/flags.js';

const WEB = `
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: sh
    image: busybox
    command: [sh, -c, 'getent hosts web.default.svc.cluster.local; getent hosts web; sleep 3600']
`;

const DB = `
apiVersion: v1
kind: Service
metadata: { name: db }
spec:
  clusterIP: None
  selector: { app: db }
  ports: [{ name: pg, port: 5432 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 2
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - { name: sh, image: busybox, command: [sleep, '3600'] }
`;

type Answer = DecodedPacket & { rcode?: string };

const query = (name: string): Buffer => dnsPacket.encode({ id: 42, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] });

function askUdp(host: string, name: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => (socket.close(), reject(new Error('no UDP answer'))), 5_000);
    socket.on('message', (msg) => (clearTimeout(timer), socket.close(), resolve(dnsPacket.decode(msg))));
    socket.send(query(name), 53, host);
  });
}

function askTcp(host: string, name: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: 53 });
    let buf = Buffer.alloc(0);
    socket.setTimeout(5_000, () => socket.destroy(new Error('no TCP answer')));
    socket.on('error', reject);
    socket.on('connect', () => {
      const msg = query(name);
      const len = Buffer.alloc(2);
      len.writeUInt16BE(msg.length);
      socket.write(Buffer.concat([len, msg]));
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
      socket.end();
      resolve(dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
    });
  });
}

const addresses = (a: Answer): string[] => (a.answers ?? []).filter((x) => x.type === 'A').map((x) => (x as { data: string }).data);

describe('DNS flags', () => {
  it.each([
    [[], { clusterDNS: '127.96.0.10', clusterDomain: 'cluster.local', port: 53 }],
    [['--service-cidr', '127.50.255.0/24'], { clusterDNS: '127.50.255.10', clusterDomain: 'cluster.local', port: 53 }],
    [['--cluster-dns', 'none'], { clusterDomain: 'cluster.local', port: 53 }],
    [['--cluster-dns', '127.96.0.53', '--cluster-domain', 'Corp.Internal.', '--cluster-dns-port', '5353'], { clusterDNS: '127.96.0.53', clusterDomain: 'corp.internal', port: 5353 }],
    [['--service-cidr', '127.50.255.0/29'], { clusterDomain: 'cluster.local', port: 53 }], // too small to hold a 10th address
  ])('%j', (args, want) => expect(parseFlags(args, { HOME: '/tmp' })!.dns).toEqual(want));

  it.each([
    [['--cluster-dns', '10.0.0.10'], /--cluster-dns: expected none or an address of the service CIDR/],
    [['--cluster-dns', '127.96.0.0'], /--cluster-dns/],
    [['--cluster-domain', 'bad_domain'], /--cluster-domain/],
    [['--cluster-dns-port', '0'], /--cluster-dns-port/],
  ])('rejects %j', (args, error) => expect(() => parseFlags(args, { HOME: '/tmp' })).toThrow(error));
});

describe.skipIf(!hasKubectl())('cluster DNS on process nodes', () => {
  let daemon: Daemon;
  let dnsIP: string;
  const ok = async (args: string[], stdin?: string, timeoutMs?: number): Promise<string> => {
    const res = await kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };

  beforeAll(async () => {
    // Ranges of its own, away from the per-worker blocks (127.100–225) other daemons use: the DNS
    // binds port 53 on two of its addresses and runs without them if they are taken.
    const b = 226 + Math.floor(Math.random() * 18);
    daemon = await startDaemon({
      args: ['--nodes', '1', '--runtime', 'process', '--node-cidr', `127.${b}.0.0/24`, '--pod-cidr', `127.${b}.0.0/16`, '--service-cidr', `127.${b}.255.0/24`],
    });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('has a kube-system/kube-dns Service at the service range’s 10th address', async () => {
    const svc = JSON.parse(await waitFor(() => ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'json']).catch(() => undefined), { timeoutMs: 20_000 }));
    dnsIP = svc.spec.clusterIP;
    expect(dnsIP).toMatch(/^127\.\d+\.255\.10$/); // the test daemons' service range is 127.x.255.0/24
    expect(svc.spec.ports.map((p: { name: string; port: number; protocol: string }) => `${p.name} ${p.port}/${p.protocol}`)).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP']);
    const table = await ok(['get', 'svc', '-A']);
    expect(table).toMatch(/kube-system\s+kube-dns\s+ClusterIP\s+127\.\d+\.255\.10\s+<none>\s+53\/UDP,53\/TCP/);
    const slices = await waitFor(() => ok(['get', 'endpointslices', '-n', 'kube-system', '-l', 'kubernetes.io/service-name=kube-dns', '-o', 'jsonpath={.items[*].endpoints[*].addresses[*]}']).then((s) => s || undefined), { timeoutMs: 20_000 });
    expect(slices).toMatch(/^127\.\d+\.0\.53$/);
  }, 60_000);

  it('resolves a Service name in a pod by FQDN and through the search list', async () => {
    await ok(['apply', '-f', '-'], WEB);
    const clusterIP = await ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    const logs = await waitFor(async () => {
      const out = await ok(['logs', 'client']).catch(() => '');
      return out.split('\n').filter(Boolean).length >= 2 ? out : undefined;
    }, { timeoutMs: 60_000, message: 'client logged two lookups' });
    expect(logs.trim().split('\n')).toEqual([`${clusterIP}\tweb.default.svc.cluster.local`, `${clusterIP}\tweb.default.svc.cluster.local`].map((l) => expect.stringMatching(new RegExp(`^${l.replace(/\./g, '\\.').replace('\t', '\\s+')}$`))));
    const resolv = await ok(['exec', 'client', '--', 'cat', '/etc/resolv.conf']);
    expect(resolv).toBe(`search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${dnsIP}\noptions ndots:5\n`);
  }, 90_000);

  it('answers the host at the cluster IP over UDP, and over TCP through the service proxy', async () => {
    const clusterIP = await ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(addresses(await askUdp(dnsIP, 'web.default.svc.cluster.local'))).toEqual([clusterIP]);
    const tcp = await waitFor(() => askTcp(dnsIP, 'WEB.default.svc.cluster.local').catch(() => undefined), { timeoutMs: 20_000, message: 'TCP answer via the proxy' });
    expect(addresses(tcp)).toEqual([clusterIP]);
    expect((await askUdp(dnsIP, 'nope.default.svc.cluster.local')).rcode).toBe('NXDOMAIN');
  }, 60_000);

  it('resolves a headless Service to its pods, and each StatefulSet pod by <pod>.<service>', async () => {
    await ok(['apply', '-f', '-'], DB);
    await ok(['rollout', 'status', 'statefulset/db', '--timeout=90s'], undefined, 100_000);
    const ips = (await ok(['get', 'pods', 'db-0', 'db-1', '-o', 'jsonpath={.items[*].status.podIP}'])).split(' ');
    const all = await waitFor(async () => {
      const out = await ok(['exec', 'db-0', '--', 'getent', 'ahostsv4', 'db.default.svc.cluster.local']).catch(() => '');
      return ips.every((ip) => out.includes(ip)) ? out : undefined;
    }, { timeoutMs: 30_000, message: 'both pods behind db' });
    expect(all).toContain(ips[0]);
    const one = await waitFor(() => ok(['exec', 'db-0', '--', 'getent', 'hosts', 'db-1.db']).catch(() => undefined), { timeoutMs: 30_000, message: 'db-1.db resolved' });
    expect(one).toMatch(new RegExp(`^${ips[1]!.replace(/\./g, '\\.')}\\s+db-1\\.db\\.default\\.svc\\.cluster\\.local`));
    // The pod's own hosts file names it by its FQDN, as the kubelet writes it.
    expect(await ok(['exec', 'db-0', '--', 'cat', '/etc/hosts'])).toContain(`${ips[0]}\tdb-0.db.default.svc.cluster.local\tdb-0\n`);
  }, 150_000);
});
