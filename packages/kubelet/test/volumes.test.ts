import { findResource, type KObject } from '@mini-kube/api';
import { makeTempDir } from '@mini-kube/testing';
import type { Pod } from 'kubernetes-types/core/v1';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canUseMountNamespace, mountRootView, wrapForMounts } from '../src/process/volumes-mounts.js';
import { MountError, mountsFor, prepareVolumes, refreshVolumes } from '../src/process/volumes.js';
import { writePayload } from '../src/process/volumes-writer.js';
import { startApi, type TestApi } from './harness.js';

const CMS = findResource('', 'v1', 'configmaps')!;
const SECRETS = findResource('', 'v1', 'secrets')!;
const PODS = findResource('', 'v1', 'pods')!;
const PVCS = findResource('', 'v1', 'persistentvolumeclaims')!;
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');
const mode = (...p: string[]): number => statSync(join(...p)).mode & 0o777;

describe('writePayload', () => {
  it('switches the visible files atomically and skips unchanged payloads', async () => {
    const dir = join(makeTempDir(), 'v');
    const file = (s: string) => ({ content: Buffer.from(s), mode: 0o600 });
    expect(await writePayload(dir, new Map([['a', file('1')], ['sub/b', file('2')]]))).toBe(true);
    expect(read(dir, 'a')).toBe('1');
    expect(read(dir, 'sub/b')).toBe('2');
    expect(lstatSync(join(dir, 'a')).isSymbolicLink()).toBe(true);
    expect(await writePayload(dir, new Map([['a', file('1')], ['sub/b', file('2')]]))).toBe(false);
    expect(await writePayload(dir, new Map([['c', file('3')]]))).toBe(true);
    expect(readdirSync(dir).filter((e) => !e.startsWith('..')).sort()).toEqual(['c']);
    expect(readdirSync(dir).filter((e) => e.startsWith('..'))).toHaveLength(2); // ..data and one version
  });
});

describe('prepareVolumes against an API server', () => {
  let api: TestApi;
  const dataDir = makeTempDir();
  const hostDir = join(makeTempDir(), 'made');
  let pod: Pod & KObject;

  beforeAll(async () => {
    api = await startApi();
    await api.client.create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'site', namespace: 'default' }, data: { 'index.html': '<h1>v1</h1>', other: 'o' } } as KObject);
    await api.client.create(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, data: { user: b64('admin'), pass: b64('pw') } } as KObject);
    await api.client.create(PVCS, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data-0', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    } as KObject);
    pod = await api.client.create<Pod & KObject>(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'c', image: 'busybox', resources: { limits: { memory: '64Mi' } } }],
        volumes: [
          { name: 'scratch', emptyDir: {} },
          { name: 'site', configMap: { name: 'site' } },
          { name: 'picked', configMap: { name: 'site', items: [{ key: 'other', path: 'dir/renamed', mode: 0o600 }], defaultMode: 0o444 } },
          { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400 } },
          { name: 'maybe', configMap: { name: 'absent', optional: true } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } }] } },
          { name: 'all', projected: { sources: [{ configMap: { name: 'site', items: [{ key: 'other', path: 'o' }] } }, { secret: { name: 'creds' } }, { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } }] } },
          { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
          { name: 'claim', persistentVolumeClaim: { claimName: 'data-0' } },
        ],
      },
    } as KObject);
  });
  afterAll(() => api.close());

  it('creates each kind of volume', async () => {
    const sandbox = join(dataDir, 'pods', pod.metadata.uid!);
    const dirs = await prepareVolumes(pod, sandbox, api.client);
    expect(existsSync(dirs.get('scratch')!)).toBe(true);
    expect(read(dirs.get('site')!, 'index.html')).toBe('<h1>v1</h1>');
    expect(mode(dirs.get('site')!, 'index.html')).toBe(0o644);
    expect(readdirSync(dirs.get('picked')!).filter((e) => !e.startsWith('..'))).toEqual(['dir']);
    expect(read(dirs.get('picked')!, 'dir/renamed')).toBe('o');
    expect(mode(dirs.get('picked')!, 'dir/renamed')).toBe(0o600);
    expect(read(dirs.get('creds')!, 'user')).toBe('admin');
    expect(mode(dirs.get('creds')!, 'pass')).toBe(0o400);
    expect(readdirSync(dirs.get('maybe')!).filter((e) => !e.startsWith('..'))).toEqual([]);
    expect(read(dirs.get('info')!, 'labels')).toBe('app="web"');
    expect(read(dirs.get('info')!, 'mem')).toBe('64');
    expect([read(dirs.get('all')!, 'o'), read(dirs.get('all')!, 'user'), read(dirs.get('all')!, 'name')]).toEqual(['o', 'admin', 'p']);
    expect(dirs.get('host')).toBe(hostDir);
    expect(statSync(hostDir).isDirectory()).toBe(true);
    expect(dirs.get('claim')).toBe(join(dataDir, 'volumes', 'default', 'data-0'));
  });

  it('keeps a claim directory across pods', async () => {
    const first = await prepareVolumes(pod, join(dataDir, 'pods', 'a'), api.client, { dataDir });
    writeFileSync(join(first.get('claim')!, 'kept'), 'yes');
    const second = await prepareVolumes(pod, join(dataDir, 'pods', 'b'), api.client, { dataDir });
    expect(read(second.get('claim')!, 'kept')).toBe('yes');
  });

  it('refreshes configMap, secret and downward files from the current objects', async () => {
    const sandbox = join(dataDir, 'pods', 'refresh');
    const dirs = await prepareVolumes(pod, sandbox, api.client);
    await api.client.patch(CMS, 'site', { data: { 'index.html': '<h1>v2</h1>' } }, { namespace: 'default', type: 'merge' });
    await api.client.patch(PODS, 'p', { metadata: { labels: { app: 'web', v: '2' } } }, { namespace: 'default', type: 'merge' });
    await refreshVolumes(pod, sandbox, api.client);
    expect(read(dirs.get('site')!, 'index.html')).toBe('<h1>v2</h1>');
    expect(read(dirs.get('info')!, 'labels')).toBe('app="web"\nv="2"');
  });

  it.each([
    [{ name: 'x', configMap: { name: 'absent' } }, 'MountVolume.SetUp failed for volume "x" : configmap "absent" not found'],
    [{ name: 'x', secret: { secretName: 'absent' } }, 'MountVolume.SetUp failed for volume "x" : secret "absent" not found'],
    [{ name: 'x', configMap: { name: 'site', items: [{ key: 'nope', path: 'n' }] } }, 'MountVolume.SetUp failed for volume "x" : configmap references non-existent config key: nope'],
    [{ name: 'x', persistentVolumeClaim: { claimName: 'absent' } }, 'persistentvolumeclaim "absent" not found'],
    [{ name: 'x', hostPath: { path: '/nonexistent/mini-kube', type: 'Directory' } }, 'hostPath type check failed: /nonexistent/mini-kube is not a directory'],
  ])('fails to mount %#', async (volume, message) => {
    const err = await prepareVolumes({ ...pod, spec: { ...pod.spec!, volumes: [volume] } }, join(dataDir, 'pods', 'err'), api.client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MountError);
    expect((err as Error).message).toBe(message);
  });
});

describe('mounts', () => {
  const volumes = new Map([
    ['data', '/host/data'],
    ['cfg', '/host/cfg'],
  ]);
  it('resolves volumeMounts with subPath and readOnly', () => {
    expect(
      mountsFor(
        {
          name: 'c',
          volumeMounts: [
            { name: 'data', mountPath: '/data' },
            { name: 'cfg', mountPath: '/etc/app.conf', subPath: 'app.conf', readOnly: true },
            { name: 'unknown', mountPath: '/x' },
          ],
        },
        volumes,
      ),
    ).toEqual([
      { mountPath: '/data', hostPath: '/host/data', readOnly: false },
      { mountPath: '/etc/app.conf', hostPath: '/host/cfg/app.conf', readOnly: true, subPath: 'app.conf' },
    ]);
  });

  it('leaves argv alone without a mount namespace', () => {
    expect(wrapForMounts(['sleep', '1'], [{ mountPath: '/d', hostPath: '/h', readOnly: false }], false)).toEqual(['sleep', '1']);
  });

  it('exposes mounts under a root directory as the fallback', async () => {
    const host = makeTempDir();
    writeFileSync(join(host, 'f'), 'hi');
    const root = await mountRootView(join(makeTempDir(), 'root'), [{ mountPath: '/srv/www', hostPath: host, readOnly: false }]);
    expect(read(root, 'srv/www/f')).toBe('hi');
  });

  it.skipIf(!canUseMountNamespace())('bind-mounts volumes in a private mount namespace (root only)', () => {
    const base = makeTempDir();
    const vol = join(base, 'vol');
    const cfg = join(base, 'cfg');
    mkdirSync(vol);
    mkdirSync(cfg);
    writeFileSync(join(vol, 'in-volume'), 'data');
    writeFileSync(join(cfg, 'app.conf'), 'conf');
    const target = join(base, 'mnt', 'data');
    const argv = wrapForMounts(['/bin/sh', '-c', `cat ${target}/in-volume; cat ${base}/etc/app.conf; echo w > ${target}/written; touch ${base}/etc/app.conf 2>/dev/null || echo ro`], [
      { mountPath: target, hostPath: vol, readOnly: false },
      { mountPath: join(base, 'etc', 'app.conf'), hostPath: join(cfg, 'app.conf'), readOnly: true, subPath: 'app.conf' },
    ]);
    const out = execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    expect(out).toBe('dataconfro\n');
    expect(read(vol, 'written')).toBe('w\n'); // written through the mount into the volume
    expect(readdirSync(target)).toEqual([]); // the host's mount point itself stays empty
    expect(spawnSync('findmnt', [target]).status).not.toBe(0); // nothing leaked into the host namespace
  });
});
