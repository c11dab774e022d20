import { describe, expect, it } from 'vitest';
import { StatusError } from '@mini-kube/machinery';
import { checkFields, strictDecodingError, validateFields } from '../src/openapi/index.js';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { note: 'x' } },
  spec: {
    replicas: 3,
    revisionHistoryLimit: 5,
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 30,
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            args: ['--port', '8080'],
            env: [{ name: 'A', value: '1' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
            livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 3, failureThreshold: 3 },
            volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
          },
        ],
        volumes: [
          { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
          { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420, items: [{ key: 'a', path: 'a.txt' }] } },
        ],
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }],
      },
    },
  },
  status: { replicas: 3, conditions: [{ type: 'Available', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
});

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }] },
};

const job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', creationTimestamp: null },
  spec: {
    backoffLimit: 4,
    completions: 2,
    ttlSecondsAfterFinished: 100,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl', command: ['perl', '-e', '1'] }] } },
  },
};

describe('checkFields', () => {
  it('accepts complete, valid manifests', () => {
    expect(checkFields(deployment(), 'apps', 'v1', 'Deployment')).toEqual({ unknown: [], typeErrors: [] });
    expect(checkFields(service, '', 'v1', 'Service')).toEqual({ unknown: [], typeErrors: [] });
    expect(checkFields(job, 'batch', 'v1', 'Job')).toEqual({ unknown: [], typeErrors: [] });
  });

  it('names unknown fields by path, with list indices, in document order', () => {
    const d = deployment() as any;
    d.spec.replicass = 2;
    d.spec.template.spec.containers[0].imagee = 'x';
    d.metadata.labelz = {};
    d.extra = true;
    expect(checkFields(d, 'apps', 'v1', 'Deployment').unknown).toEqual([
      'metadata.labelz',
      'spec.template.spec.containers[0].imagee',
      'spec.replicass',
      'extra',
    ]);
  });

  it('is case-sensitive, as the real decoder is', () => {
    expect(checkFields({ spec: { Replicas: 1 } }, 'apps', 'v1', 'Deployment').unknown).toEqual(['spec.Replicas']);
  });

  it('reports type mismatches the way Go decoding does', () => {
    const d = deployment() as any;
    d.spec.replicas = '3';
    expect(checkFields(d, 'apps', 'v1', 'Deployment').typeErrors).toEqual([
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ]);
    d.spec.replicas = 1.5;
    d.spec.template.spec.containers[0].ports[0].containerPort = true;
    d.spec.template.spec.containers = d.spec.template.spec.containers.concat({ name: 'b', image: 7 });
    expect(checkFields(d, 'apps', 'v1', 'Deployment').typeErrors).toEqual([
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
      'json: cannot unmarshal bool into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
      'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string',
    ]);
  });

  it('checks objects, lists, maps, int-or-string and quantities', () => {
    const check = (spec: unknown) => checkFields({ spec }, 'apps', 'v1', 'Deployment').typeErrors;
    expect(check('x')).toEqual(['json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec']);
    expect(check({ template: { spec: { containers: {} } } })).toEqual([
      'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    ]);
    expect(check({ selector: { matchLabels: { a: 1 } } })).toEqual([
      'json: cannot unmarshal number into Go struct field LabelSelector.spec.selector.matchLabels of type string',
    ]);
    expect(check({ strategy: { rollingUpdate: { maxSurge: true } } })).toEqual([
      'json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
    ]);
    const resources = (limits: unknown) => check({ template: { spec: { containers: [{ name: 'a', resources: { limits } }] } } });
    expect(resources({ cpu: '2', memory: 1e9 })).toEqual([]);
    expect(resources({ cpu: 'lots' })[0]).toMatch(/^quantities must match the regular expression/);
  });

  it('treats null as absent and free-form fields as opaque', () => {
    const cr = { apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: 1, data: { any: { thing: [1] } }, metadata: { managedFields: [{ fieldsV1: { 'f:x': {} } }] } };
    expect(checkFields(cr, 'apps', 'v1', 'ControllerRevision')).toEqual({ unknown: [], typeErrors: [] });
    expect(checkFields({ spec: null, metadata: { labels: null } }, 'apps', 'v1', 'Deployment')).toEqual({ unknown: [], typeErrors: [] });
  });

  it('passes kinds without a schema', () => {
    expect(checkFields({ anything: 1 }, 'example.com', 'v1', 'Widget')).toEqual({ unknown: [], typeErrors: [] });
  });
});

describe('field validation errors', () => {
  it('words the strict decoding error as the real server does', () => {
    const err = strictDecodingError('Deployment', 'v1', ['spec.replicass', 'spec.foo']);
    expect(err.toStatus()).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicass", unknown field "spec.foo"',
    });
  });

  it('applies Strict, Warn and Ignore', () => {
    const d = { ...deployment(), spec: { ...deployment().spec, replicass: 2 } };
    expect(() => validateFields(d, 'apps', 'v1', 'Deployment', 'Strict')).toThrow(/strict decoding error: unknown field "spec.replicass"$/);
    expect(validateFields(d, 'apps', 'v1', 'Deployment', 'Warn')).toEqual(['unknown field "spec.replicass"']);
    expect(validateFields(d, 'apps', 'v1', 'Deployment', 'Ignore')).toEqual([]);
  });

  it('fails type errors in every mode', () => {
    const bad = { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: '80' }] } };
    for (const mode of ['Strict', 'Warn', 'Ignore'] as const) {
      let caught: unknown;
      try {
        validateFields(bad, '', 'v1', 'Service', mode);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(StatusError);
      expect((caught as StatusError).message).toBe(
        'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32',
      );
    }
  });
});
