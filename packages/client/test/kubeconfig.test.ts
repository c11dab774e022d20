import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { loadKubeconfig } from '../src/kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const savedEnv = process.env.KUBECONFIG;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedEnv;
});

function write(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : stringify(doc));
  return path;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('loadKubeconfig', () => {
  mkdirSync(join(dir, 'certs'));
  writeFileSync(join(dir, 'certs', 'ca.crt'), 'CA-PEM');
  writeFileSync(join(dir, 'token'), 'file-token\n');

  const first = write('first', {
    'current-context': 'one',
    clusters: [{ name: 'c1', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority': 'certs/ca.crt' } }],
    users: [{ name: 'u1', user: { tokenFile: 'token', 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') } }],
    contexts: [{ name: 'one', context: { cluster: 'c1', user: 'u1', namespace: 'team' } }],
  });
  const second = write('second', {
    'current-context': 'two',
    clusters: [
      { name: 'c1', cluster: { server: 'https://shadowed' } },
      { name: 'c2', cluster: { server: 'http://127.0.0.1:8080', 'insecure-skip-tls-verify': true } },
    ],
    users: [{ name: 'u2', user: { username: 'admin', password: 'pw' } }],
    contexts: [{ name: 'two', context: { cluster: 'c2', user: 'u2' } }],
  });

  it('merges a KUBECONFIG list: the first definition and the first current-context win', () => {
    process.env.KUBECONFIG = [join(dir, 'missing'), first, second].join(delimiter);
    const cfg = loadKubeconfig();
    expect(cfg).toMatchObject({
      contextName: 'one',
      server: 'https://10.0.0.1:6443',
      namespace: 'team',
      ca: 'CA-PEM',
      token: 'file-token',
      cert: 'CERT',
      key: 'KEY',
      insecureSkipTLSVerify: false,
    });
  });

  it('selects another context, defaulting its namespace', () => {
    const cfg = loadKubeconfig([first, second].join(delimiter), 'two');
    expect(cfg).toMatchObject({ server: 'http://127.0.0.1:8080', namespace: 'default', username: 'admin', password: 'pw', insecureSkipTLSVerify: true });
    expect(cfg.token).toBeUndefined();
  });

  it('explains what is missing', () => {
    expect(() => loadKubeconfig(first, 'nope')).toThrow(/context "nope" not found/);
    expect(() => loadKubeconfig(join(dir, 'absent'))).toThrow(/exists/);
    const noCurrent = write('nocurrent', { clusters: [], users: [], contexts: [] });
    expect(() => loadKubeconfig(noCurrent)).toThrow(/no current-context/);
  });
});
