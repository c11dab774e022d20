import { describe, expect, it } from 'vitest';
import { listTypeAt } from '../src/index.js';

const pod = ['spec'];
const tmpl = ['spec', 'template', 'spec'];

describe('listTypeAt', () => {
  it.each([
    ['', 'Pod', [...pod, 'containers'], { type: 'map', keys: ['name'] }],
    ['', 'Pod', [...pod, 'initContainers'], { type: 'map', keys: ['name'] }],
    ['', 'Pod', [...pod, 'ephemeralContainers', 'env'], { type: 'map', keys: ['name'] }],
    ['', 'Pod', [...pod, 'containers', 'ports'], { type: 'map', keys: ['containerPort', 'protocol'] }],
    ['', 'Pod', [...pod, 'containers', 'volumeMounts'], { type: 'map', keys: ['mountPath'] }],
    ['', 'Pod', [...pod, 'containers', 'volumeDevices'], { type: 'map', keys: ['devicePath'] }],
    ['', 'Pod', [...pod, 'containers', 'command'], { type: 'atomic' }],
    ['', 'Pod', [...pod, 'volumes'], { type: 'map', keys: ['name'] }],
    ['', 'Pod', [...pod, 'hostAliases'], { type: 'map', keys: ['ip'] }],
    ['', 'Pod', [...pod, 'tolerations'], { type: 'atomic' }],
    ['', 'Pod', [...pod, 'topologySpreadConstraints'], { type: 'map', keys: ['topologyKey', 'whenUnsatisfiable'] }],
    ['', 'Pod', ['status', 'conditions'], { type: 'map', keys: ['type'] }],
    ['', 'Pod', ['metadata', 'finalizers'], { type: 'set' }],
    ['', 'Pod', ['metadata', 'ownerReferences'], { type: 'map', keys: ['uid'] }],
    ['apps', 'Deployment', [...tmpl, 'containers', 'env'], { type: 'map', keys: ['name'] }],
    ['apps', 'Deployment', [...tmpl, 'imagePullSecrets'], { type: 'map', keys: ['name'] }],
    ['apps', 'Deployment', ['spec', 'template', 'metadata', 'finalizers'], { type: 'set' }],
    ['apps', 'StatefulSet', ['status', 'conditions'], { type: 'map', keys: ['type'] }],
    ['batch', 'CronJob', ['spec', 'jobTemplate', ...tmpl, 'containers'], { type: 'map', keys: ['name'] }],
    ['', 'Service', ['spec', 'ports'], { type: 'map', keys: ['port', 'protocol'] }],
    ['', 'Node', ['spec', 'taints'], { type: 'atomic' }],
    ['', 'Node', ['status', 'addresses'], { type: 'map', keys: ['type'] }],
    ['', 'ConfigMap', ['metadata', 'ownerReferences'], { type: 'map', keys: ['uid'] }],
    ['', 'ConfigMap', ['data'], { type: 'atomic' }],
    ['apps', 'Deployment', ['spec', 'nope', 'containers'], { type: 'atomic' }],
  ])('%s/%s %j', (group, kind, path, want) => {
    expect(listTypeAt(group, kind, path)).toEqual(want);
  });
});
