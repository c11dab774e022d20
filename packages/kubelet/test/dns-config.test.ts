// A pod's resolv.conf and hosts file, from its dnsPolicy, dnsConfig, hostname and subdomain, as the
// kubelet writes them; and the two mounts that carry them into the container.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1';
import { makeTempDir } from '@mini-kube/testing';
import { processSpec } from '../src/process/launch.js';
import { mountRootView } from '../src/process/volumes-mounts.js';
import { formatResolvConf, parseResolvConf, podDnsMounts, podHostsFile, podResolvConf, type ResolvConf } from '../src/process/dns-config.js';

const cluster = { clusterDNS: ['127.96.0.10'], clusterDomain: 'cluster.local' };
const host: ResolvConf = { nameservers: ['10.0.0.2'], searches: ['corp.example'], options: [{ name: 'timeout', value: '2' }] };
const pod = (spec: Partial<PodSpec> = {}, name = 'web-1', namespace = 'shop'): Pod => ({ metadata: { name, namespace }, spec: { containers: [], ...spec }, status: { podIP: '127.244.1.5' } });

describe('podResolvConf', () => {
  it.each([
    ['ClusterFirst (the default)', pod(), cluster, 'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 127.96.0.10\noptions ndots:5\n'],
    ['ClusterFirst without a cluster DNS: the host', pod(), { ...cluster, clusterDNS: [] }, 'search corp.example\nnameserver 10.0.0.2\noptions timeout:2\n'],
    ['ClusterFirst with hostNetwork: the host', pod({ hostNetwork: true }), cluster, 'search corp.example\nnameserver 10.0.0.2\noptions timeout:2\n'],
    ['ClusterFirstWithHostNet', pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), cluster, 'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 127.96.0.10\noptions ndots:5\n'],
    ['Default: the host', pod({ dnsPolicy: 'Default' }), cluster, 'search corp.example\nnameserver 10.0.0.2\noptions timeout:2\n'],
    [
      'None: dnsConfig alone',
      pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }),
      cluster,
      'search a.example\nnameserver 1.1.1.1\noptions ndots:2 edns0\n',
    ],
    [
      'ClusterFirst plus dnsConfig: appended, duplicates dropped, options overridden',
      pod({ dnsConfig: { nameservers: ['127.96.0.10', '1.1.1.1'], searches: ['cluster.local', 'b.example'], options: [{ name: 'ndots', value: '1' }, { name: 'attempts', value: '3' }] } }),
      { ...cluster, clusterDomain: 'corp.internal' },
      'search shop.svc.corp.internal svc.corp.internal corp.internal corp.example cluster.local b.example\nnameserver 127.96.0.10\nnameserver 1.1.1.1\noptions ndots:1 attempts:3\n',
    ],
    ['at most 3 nameservers', pod({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'] } }), cluster, null],
  ] as [string, Pod, typeof cluster, string | null][])('%s', (_t, p, settings, want) => {
    const rc = podResolvConf(p, settings, host);
    if (want === null) expect(rc.nameservers).toEqual(['127.96.0.10', '1.1.1.1', '2.2.2.2']);
    else expect(formatResolvConf(rc)).toBe(want);
  });

  it('keeps at most 32 search domains', () => {
    const searches = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    expect(podResolvConf(pod({ dnsPolicy: 'None', dnsConfig: { searches } }), cluster, host).searches).toEqual(searches.slice(0, 32));
  });
});

describe('parseResolvConf', () => {
  it.each([
    ['nameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch a.example b.example\noptions ndots:2 rotate\n', { nameservers: ['10.0.0.2', '10.0.0.3'], searches: ['a.example', 'b.example'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }] }],
    ['# comment\ndomain corp.example\nnameserver 127.0.0.53 # stub\n', { nameservers: ['127.0.0.53'], searches: ['corp.example'], options: [] }],
    ['', { nameservers: [], searches: [], options: [] }],
  ])('%j', (text, want) => expect(parseResolvConf(text)).toEqual(want));
});

describe('podHostsFile', () => {
  const boilerplate = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  it.each([
    ['the pod name', pod(), `${boilerplate}127.244.1.5\tweb-1\n`],
    ['spec.hostname', pod({ hostname: 'front' }), `${boilerplate}127.244.1.5\tfront\n`],
    ['hostname and subdomain: the FQDN first', pod({ hostname: 'db-0', subdomain: 'db' }), `${boilerplate}127.244.1.5\tdb-0.db.shop.svc.cluster.local\tdb-0\n`],
    [
      'hostAliases at the end',
      pod({ hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.remote', 'bar.remote'] }] }),
      `${boilerplate}127.244.1.5\tweb-1\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\tbar.remote\n`,
    ],
  ])('%s', (_t, p, want) => expect(podHostsFile(p, '127.244.1.5', 'cluster.local')).toBe(want));
});

describe('podDnsMounts', () => {
  it('writes both files into <sandbox>/etc and mounts them over /etc/resolv.conf and /etc/hosts', async () => {
    const sandbox = makeTempDir('dns-mounts-');
    const mounts = await podDnsMounts(sandbox, pod(), cluster);
    expect(mounts).toEqual([
      { mountPath: '/etc/resolv.conf', hostPath: join(sandbox, 'etc', 'resolv.conf'), readOnly: false },
      { mountPath: '/etc/hosts', hostPath: join(sandbox, 'etc', 'hosts'), readOnly: false },
    ]);
    expect(readFileSync(join(sandbox, 'etc', 'resolv.conf'), 'utf8')).toContain('nameserver 127.96.0.10\n');
    expect(readFileSync(join(sandbox, 'etc', 'hosts'), 'utf8')).toContain('127.244.1.5\tweb-1\n');
  });

  it('leaves /etc/hosts to a hostNetwork pod, and paths to the container that mounts them itself', async () => {
    const sandbox = makeTempDir('dns-mounts-');
    expect((await podDnsMounts(sandbox, pod({ hostNetwork: true }), cluster)).map((m) => m.mountPath)).toEqual(['/etc/resolv.conf']);
    const own = [{ mountPath: '/etc/resolv.conf', hostPath: '/tmp/mine', readOnly: true }];
    expect((await podDnsMounts(sandbox, pod(), cluster, own)).map((m) => m.mountPath)).toEqual(['/etc/hosts']);
  });
});

describe('the files in a container', () => {
  const input = (mounts: Awaited<ReturnType<typeof podDnsMounts>>, rootView: string, useNamespace: boolean) => ({
    launch: { kind: 'exec' as const, argv: ['sh'] },
    env: {},
    mounts,
    termination: { path: '/dev/termination-log', hostFile: '/sb/term/c-0' },
    podIP: '127.244.1.5',
    hostname: 'web-1',
    rootView,
    useNamespace,
    nodePath: '/usr/bin/node',
    webScript: '/d/bin/web.cjs',
    hostPATH: '/usr/bin',
  });

  it('in a mount namespace: bind-mounted over /etc/resolv.conf and /etc/hosts', async () => {
    const sandbox = makeTempDir('dns-mounts-');
    const spec = processSpec(input(await podDnsMounts(sandbox, pod(), cluster), join(sandbox, 'root', 'c'), true));
    const script = spec.argv[spec.argv.indexOf('-c') + 1]!;
    expect(script).toContain(`mount --bind '${join(sandbox, 'etc', 'resolv.conf')}' '/etc/resolv.conf'`);
    expect(script).toContain(`mount --bind '${join(sandbox, 'etc', 'hosts')}' '/etc/hosts'`);
  });

  it('without one: at $MINI_KUBE_ROOT/etc/resolv.conf and $MINI_KUBE_ROOT/etc/hosts', async () => {
    const sandbox = makeTempDir('dns-mounts-');
    const spec = processSpec(input(await podDnsMounts(sandbox, pod(), cluster), join(sandbox, 'root', 'c'), false));
    const root = await mountRootView(spec.env.MINI_KUBE_ROOT!, spec.rootViewMounts!);
    expect(readFileSync(join(root, 'etc', 'resolv.conf'), 'utf8')).toContain('nameserver 127.96.0.10\n');
    expect(readFileSync(join(root, 'etc', 'hosts'), 'utf8')).toContain('127.244.1.5\tweb-1\n');
  });
});
