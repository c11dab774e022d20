// The local-path provisioner against a real API server: a pending claim gets a bound hostPath volume
// under the data dir; a claim of another class is left alone; deleting the claim deletes the volume
// and its directory.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { findResource } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import { makeTempDir, waitFor } from '@mini-kube/testing';
import { localPathProvisioner } from '../src/localpath/index.js';
import type { ClaimObject, VolumeObject } from '../src/localpath/plan.js';
import { startHarness, type Harness } from './manager-harness.js';

const CLAIMS = findResource('', 'v1', 'persistentvolumeclaims')!;
const VOLUMES = findResource('', 'v1', 'persistentvolumes')!;

let h: Harness | undefined;
afterEach(async () => h?.stop());

const claim = (name: string, storageClassName?: string): ClaimObject =>
  ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, ...(storageClassName ? { storageClassName } : {}) },
  }) as ClaimObject;

it('provisions and binds a pending claim, leaves other classes alone, and deletes the volume with the claim', async () => {
  const harness = (h = await startHarness());
  const dataDir = makeTempDir('localpath-');
  harness.ctx.options = { ...harness.ctx.options, dataDir };
  const running = localPathProvisioner(harness.ctx);
  await harness.startInformers();

  const created = await harness.client.create<ClaimObject>(CLAIMS, claim('data'));
  await harness.client.create(CLAIMS, claim('other', 'fast-ssd'));
  const bound = await waitFor(async () => {
    const c = await harness.client.get<ClaimObject>(CLAIMS, 'data', { namespace: 'default' });
    return c.status?.phase === 'Bound' ? c : undefined;
  }, { message: 'claim Bound' });
  const pvName = `pvc-${created.metadata.uid}`;
  expect(bound.spec?.volumeName).toBe(pvName);
  expect(bound.status?.capacity?.storage).toBe('2Gi');
  expect(bound.status?.accessModes).toEqual(['ReadWriteOnce']);
  const pv = await waitFor(async () => {
    const v = await harness.client.get<VolumeObject>(VOLUMES, pvName);
    return v.status?.phase === 'Bound' ? v : undefined;
  }, { message: 'volume Bound' });
  const dir = join(dataDir, 'volumes', 'default', 'data');
  expect(pv.spec?.hostPath?.path).toBe(dir);
  expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
  expect(pv.spec?.claimRef).toMatchObject({ name: 'data', namespace: 'default', uid: created.metadata.uid });

  const other = await harness.client.get<ClaimObject>(CLAIMS, 'other', { namespace: 'default' });
  expect(other.spec?.volumeName).toBeUndefined();
  expect(other.status?.phase).toBe('Pending');

  // The kubelet writes into the directory; deleting the claim removes the volume and the data.
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'names'), 'web-0\n');
  await harness.client.delete(CLAIMS, 'data', { namespace: 'default' });
  await waitFor(async () => {
    try {
      await harness.client.get(VOLUMES, pvName);
      return false;
    } catch (err) {
      return err instanceof StatusError && err.code === 404;
    }
  }, { message: 'volume deleted' });
  expect(existsSync(dir)).toBe(false);

  await harness.stop();
  h = undefined;
  await running;
});
