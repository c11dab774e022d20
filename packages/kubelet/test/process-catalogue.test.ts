import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageResolveError, httpEchoFlags, loadUserImages, parseImageRef, resolveImage, type UserImage } from '../src/process/catalogue.js';
import { hostPathFor, processSpec } from '../src/process/launch.js';

describe('parseImageRef', () => {
  it.each([
    ['nginx', 'nginx', 'latest'],
    ['nginx:1.25', 'nginx', '1.25'],
    ['docker.io/library/busybox:1.36', 'busybox', '1.36'],
    ['registry.k8s.io/pause:3.9', 'pause', '3.9'],
    ['localhost:5000/myapp:v2', 'myapp', 'v2'],
    ['hashicorp/http-echo@sha256:abc', 'hashicorp/http-echo', 'latest'],
    ['ghcr.io/org/app:v1@sha256:abc', 'org/app', 'v1'],
  ])('%s', (image, repo, tag) => expect(parseImageRef(image)).toEqual({ repo, tag }));
});

describe('resolveImage', () => {
  const user = new Map<string, UserImage>([['myapp:v1', { command: ['node', 'server.js'], workingDir: '/srv/app' }]]);
  const resolve = (image: string, command?: string[], args?: string[], port?: number) => resolveImage({ image, command, args, port }, user, '/data/images.yaml');

  it.each<[string, string[] | undefined, string[] | undefined, unknown]>([
    ['busybox', ['sh', '-c', 'echo hi'], undefined, { kind: 'exec', argv: ['sh', '-c', 'echo hi'] }],
    ['alpine:3', undefined, ['echo', 'hi'], { kind: 'exec', argv: ['echo', 'hi'] }],
    ['ubuntu', undefined, undefined, { kind: 'exec', argv: ['sh'] }],
    ['registry.k8s.io/pause:3.9', undefined, undefined, { kind: 'exec', argv: ['sleep', 'infinity'] }],
    ['node:20', undefined, ['app.js'], { kind: 'exec', argv: ['node', 'app.js'] }],
    ['python:3.12', ['python', '-c', 'print(1)'], undefined, { kind: 'exec', argv: ['python', '-c', 'print(1)'] }],
    ['nginx:1.27', undefined, undefined, { kind: 'builtin', server: 'nginx', port: 80, docRoot: '/usr/share/nginx/html', text: undefined }],
    ['nginx', ['sh', '-c', 'true'], undefined, { kind: 'exec', argv: ['sh', '-c', 'true'] }],
    ['httpd:2.4', undefined, undefined, { kind: 'builtin', server: 'httpd', port: 80, docRoot: '/usr/local/apache2/htdocs', text: undefined }],
    ['hashicorp/http-echo', undefined, ['-text=hello', '-listen=:9000'], { kind: 'builtin', server: 'http-echo', port: 9000, docRoot: undefined, text: 'hello' }],
    ['registry.k8s.io/echoserver:1.10', undefined, undefined, { kind: 'builtin', server: 'echoserver', port: 8080, docRoot: undefined, text: undefined }],
    ['myapp:v1', undefined, undefined, { kind: 'exec', argv: ['node', 'server.js'], workingDir: '/srv/app', env: undefined }],
    ['example.com/myapp:v1', undefined, ['--port=1'], { kind: 'exec', argv: ['node', 'server.js', '--port=1'], workingDir: '/srv/app', env: undefined }],
    ['unknown/thing:1', ['/bin/true'], undefined, { kind: 'exec', argv: ['/bin/true'] }],
  ])('%s %j %j', (image, command, args, want) => expect(resolve(image, command, args)).toEqual(want));

  it('uses the first containerPort for a built-in server', () => {
    expect(resolve('nginx', undefined, undefined, 8080)).toMatchObject({ port: 8080 });
  });

  it('says what to do with an unknown image and no command', () => {
    expect(() => resolve('unknown/thing:1')).toThrow(ImageResolveError);
    expect(() => resolve('unknown/thing:1')).toThrow(/map "unknown\/thing:1" to a command in \/data\/images.yaml .*or give the container a command/);
  });
});

it('httpEchoFlags reads both flag forms', () => {
  expect(httpEchoFlags(['-text', 'a b', '--listen=127.0.0.1:81'])).toEqual({ text: 'a b', port: 81 });
  expect(httpEchoFlags([])).toEqual({});
});

it('loadUserImages reads images.yaml and rejects an entry without a command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'images-'));
  try {
    const file = join(dir, 'images.yaml');
    expect(loadUserImages(file).size).toBe(0);
    writeFileSync(file, 'myapp:v2:\n  command: [python3, app.py]\n  workingDir: /srv\n');
    expect(loadUserImages(file).get('myapp:v2')).toEqual({ command: ['python3', 'app.py'], args: undefined, workingDir: '/srv', env: undefined });
    writeFileSync(file, 'bad:1: {workingDir: /x}\n');
    expect(() => loadUserImages(file)).toThrow(/needs a command/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('processSpec', () => {
  const base = {
    env: { A: '1' },
    mounts: [{ mountPath: '/data', hostPath: '/sb/volumes/data', readOnly: false }],
    termination: { path: '/dev/termination-log', hostFile: '/sb/term/c-0' },
    podIP: '127.1.1.2',
    hostname: 'web',
    rootView: '/sb/root/c',
    nodePath: '/usr/bin/node',
    webScript: '/d/bin/web.cjs',
    hostPATH: '/opt/bin',
  };

  it('wraps a command in a mount namespace that mounts volumes and the termination file', () => {
    const spec = processSpec({ ...base, launch: { kind: 'exec', argv: ['node', 'x.js'] }, workingDir: '/data', useNamespace: true });
    expect(spec.argv.slice(0, 4)).toEqual([expect.stringMatching(/unshare$/), '--mount', '--propagation', 'private']);
    const script = spec.argv[spec.argv.indexOf('-c') + 1]!;
    expect(script).toContain("mount --bind '/sb/volumes/data' '/data'");
    expect(script).toContain("mount --bind '/sb/term/c-0' '/dev/termination-log'");
    expect(spec.argv.slice(-3)).toEqual(['/data', '/usr/bin/node', 'x.js']); // cd into the working dir, then node
    expect(spec.env).toMatchObject({ A: '1', POD_IP: '127.1.1.2', HOSTNAME: 'web' });
    expect(spec.env.PATH!.split(':')).toEqual(expect.arrayContaining(['/usr/bin', '/bin', '/opt/bin']));
  });

  it('without a namespace, shows mounts under MINI_KUBE_ROOT and maps the working dir', () => {
    const spec = processSpec({ ...base, launch: { kind: 'exec', argv: ['sh'] }, workingDir: '/data/sub', useNamespace: false });
    expect(spec).toMatchObject({ argv: ['sh'], cwd: '/sb/volumes/data/sub', env: { MINI_KUBE_ROOT: '/sb/root/c' } });
    expect(spec.rootViewMounts?.map((m) => m.mountPath)).toEqual(['/data', '/dev/termination-log']);
  });

  it('runs a built-in server on the pod IP, serving a mounted document root', () => {
    const mounts = [{ mountPath: '/usr/share/nginx', hostPath: '/sb/volumes/html', readOnly: true }];
    const spec = processSpec({ ...base, mounts, launch: { kind: 'builtin', server: 'nginx', port: 80, docRoot: '/usr/share/nginx/html' }, useNamespace: true });
    expect(spec.argv).toEqual(['/usr/bin/node', '/d/bin/web.cjs']);
    expect(spec.env).toMatchObject({ MINI_KUBE_WEB_MODE: 'nginx', MINI_KUBE_WEB_HOST: '127.1.1.2', MINI_KUBE_WEB_PORT: '80', MINI_KUBE_WEB_ROOT: '/sb/volumes/html/html' });
  });

  it('hostPathFor picks the deepest covering mount', () => {
    const mounts = [
      { mountPath: '/a', hostPath: '/h1', readOnly: false },
      { mountPath: '/a/b', hostPath: '/h2', readOnly: false },
    ];
    expect(hostPathFor('/a/b/c', mounts)).toBe('/h2/c');
    expect(hostPathFor('/a/x', mounts)).toBe('/h1/x');
    expect(hostPathFor('/ab', mounts)).toBeUndefined();
  });
});
