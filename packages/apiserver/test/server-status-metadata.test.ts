// Writes through /status take metadata as upstream's status strategies do: all of it but identity
// and what the kind resets (a Deployment's labels, a Pod's ownerReferences), validated, and owned
// by the writer's status entry; over HTTP, then with the real kubectl (`patch --subresource=status`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, makeTempDir } from '@mini-kube/testing';
import { deployment, pod, startServer, type TestServer } from './server-harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
  await s.req('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'st' } } });
});
afterAll(() => s.close());

const PODS = '/api/v1/namespaces/st/pods';
const DEPLOY = '/apis/apps/v1/namespaces/st/deployments';
const MERGE = 'application/merge-patch+json';
const OWNER = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'owner-uid' };

type Entry = { manager: string; subresource?: string; fieldsV1: Record<string, any> };
const statusEntry = (obj: any): Entry | undefined => (obj.metadata.managedFields as Entry[]).find((m) => m.subresource === 'status');

describe('PUT and PATCH through /status', () => {
  it('a Pod takes labels and annotations, keeps ownerReferences and identity, and the writer owns what it changed', async () => {
    const { body: created } = await s.req('POST', PODS, { body: { ...pod('p'), metadata: { name: 'p', labels: { app: 'a' }, ownerReferences: [OWNER] } } });
    const body = {
      ...created,
      metadata: { ...created.metadata, uid: 'forged', labels: { app: 'b' }, annotations: { note: 'n' }, ownerReferences: [] },
      status: { ...created.status, phase: 'Running' },
    };
    const res = await s.req('PUT', `${PODS}/p/status?fieldManager=kubelet`, { body });
    expect(res.status).toBe(200);
    expect(res.body.metadata).toMatchObject({ uid: created.metadata.uid, labels: { app: 'b' }, annotations: { note: 'n' }, ownerReferences: [OWNER] });
    expect(res.body.status.phase).toBe('Running');
    const owned = statusEntry(res.body)!.fieldsV1;
    expect(owned['f:metadata']).toEqual({ 'f:annotations': { '.': {}, 'f:note': {} }, 'f:labels': { 'f:app': {} } });
    expect(owned['f:status']).toEqual({ 'f:phase': {} });
  });

  it('a Deployment takes annotations but not labels, and its generation stays', async () => {
    const { body: created } = await s.req('POST', DEPLOY, { body: { ...deployment('d'), metadata: { name: 'd', labels: { app: 'd' } } } });
    const patch = { metadata: { labels: { app: 'x', extra: 'y' }, annotations: { 'deployment.kubernetes.io/revision': '1' } }, status: { observedGeneration: 1 } };
    const res = await s.req('PATCH', `${DEPLOY}/d/status?fieldManager=controller`, { body: patch, contentType: MERGE });
    expect(res.status).toBe(200);
    expect(res.body.metadata.labels).toEqual({ app: 'd' });
    expect(res.body.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(res.body.metadata.generation).toBe(created.metadata.generation);
    expect(statusEntry(res.body)!.fieldsV1['f:metadata']).toEqual({ 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } });
  });

  it('refuses invalid metadata with 422, naming the field', async () => {
    await s.req('POST', PODS, { body: pod('bad') });
    const res = await s.req('PATCH', `${PODS}/bad/status`, { body: { metadata: { labels: { 'not valid!': 'x' } } }, contentType: MERGE });
    expect([res.status, res.body.reason]).toEqual([422, 'Invalid']);
    expect(res.body.details.causes.map((c: { field: string }) => c.field)).toEqual(['metadata.labels']);
  });
});

describe.skipIf(!hasKubectl())('kubectl patch --subresource=status', () => {
  let kubeconfig: string;
  beforeAll(() => {
    kubeconfig = join(makeTempDir('status-kubectl-'), 'kubeconfig');
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: s.url } }],
      users: [{ name: 'u', user: {} }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'st' } }],
      'current-context': 'x',
    };
    writeFileSync(kubeconfig, JSON.stringify(config));
  });

  it('changes a Deployment’s annotations and status, not its labels or spec', async () => {
    await s.req('POST', DEPLOY, { body: { ...deployment('k'), metadata: { name: 'k', labels: { app: 'k' } } } });
    const patch = JSON.stringify({ metadata: { labels: { app: 'z' }, annotations: { reviewed: 'yes' } }, spec: { replicas: 5 }, status: { replicas: 3 } });
    const patched = await kubectl(['patch', 'deployment', 'k', '--subresource=status', '--type=merge', '-p', patch, '-o', 'json'], { kubeconfig });
    expect(patched.code, patched.stderr).toBe(0);
    const d = JSON.parse(patched.stdout);
    expect(d.metadata.labels).toEqual({ app: 'k' });
    expect(d.metadata.annotations).toEqual({ reviewed: 'yes' });
    expect([d.spec.replicas, d.status.replicas]).toEqual([1, 3]);
    const got = await kubectl(['get', 'deployment', 'k', '--subresource=status', '-o', 'jsonpath={.metadata.annotations.reviewed}'], { kubeconfig });
    expect([got.code, got.stdout]).toEqual([0, 'yes']);
  });
});
