import { describe, expect, it } from 'vitest';
import { RESOURCES } from '@mini-kube/api';
import { strategyFor } from '../src/strategies/index.js';
import { imageTag } from '../src/strategies/pod-defaults.js';
import { create } from './strategies-helpers.js';

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', uid: 'u-1', ...extra });

// What a real 1.32 server stores for a minimal pod template's spec (SetDefaults_PodSpec/_Container).
const templateSpec = (image = 'nginx:1.25', restartPolicy = 'Always') => ({
  containers: [
    {
      name: 'c',
      image,
      imagePullPolicy: image.includes(':') && !image.endsWith(':latest') ? 'IfNotPresent' : 'Always',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
  ],
  dnsPolicy: 'ClusterFirst',
  restartPolicy,
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
});

const template = (image = 'nginx:1.25', restartPolicy?: string) => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image }], ...(restartPolicy ? { restartPolicy } : {}) },
});

describe('strategy defaults', () => {
  it('every kind in the table has a strategy', () => {
    for (const r of RESOURCES) expect(typeof strategyFor(r).validate).toBe('function');
  });

  it('fills a `kubectl run` pod as the real server and its admission plugins do', () => {
    const body = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { ...meta('nginx'), labels: { run: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
    };
    const { obj, errors } = create('Pod', '', body);
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      containers: [
        { name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
    });
    expect(obj.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('defaults pod container details: ports, probes, requests from limits, QoS', () => {
    const { obj } = create('Pod', '', {
      metadata: meta('p'),
      spec: {
        tolerations: [{ operator: 'Exists' }],
        containers: [
          {
            name: 'c',
            image: 'app:1',
            ports: [{ containerPort: 80 }],
            readinessProbe: { httpGet: { port: 80 } },
            resources: { limits: { cpu: '1', memory: '1Gi' } },
          },
        ],
      },
    });
    const spec = obj.spec as { containers: Record<string, unknown>[]; tolerations: unknown[] };
    expect(spec.containers[0]!.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(spec.containers[0]!.readinessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(spec.containers[0]!.resources).toEqual({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]); // tolerates everything already
    expect((obj.status as { qosClass: string }).qosClass).toBe('Guaranteed');
  });

  it.each([
    ['nginx', 'latest'],
    ['nginx:1.25', '1.25'],
    ['registry:5000/team/app', 'latest'],
    ['registry:5000/team/app:v2', 'v2'],
    ['app@sha256:abc', ''],
  ])('image %s has tag %j', (image, tag) => expect(imageTag(image)).toBe(tag));

  it('defaults a Deployment like the real apps/v1 server', () => {
    const { obj, errors } = create('Deployment', 'apps', {
      metadata: meta('web'),
      spec: { selector: { matchLabels: { app: 'web' } }, template: template() },
    });
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { metadata: { labels: { app: 'web' } }, spec: templateSpec() },
    });
  });

  it('leaves a Recreate deployment without rollingUpdate', () => {
    const { obj } = create('Deployment', 'apps', {
      metadata: meta('web'),
      spec: { replicas: 3, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'web' } }, template: template() },
    });
    expect((obj.spec as Record<string, unknown>).strategy).toEqual({ type: 'Recreate' });
    expect((obj.spec as Record<string, unknown>).replicas).toBe(3);
  });

  it.each([
    ['ReplicaSet', { replicas: 1 }],
    ['StatefulSet', {
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    }],
    ['DaemonSet', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 }],
  ])('defaults a %s', (kind, expected) => {
    const { obj, errors } = create(kind, 'apps', { metadata: meta('web'), spec: { selector: { matchLabels: { app: 'web' } }, template: template() } });
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({ selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: templateSpec() }, ...expected });
  });

  it('defaults a Job and generates its selector and labels from the uid', () => {
    const { obj, errors } = create('Job', 'batch', {
      metadata: meta('pi'),
      spec: { template: { spec: { containers: [{ name: 'c', image: 'perl:5' }], restartPolicy: 'Never' } } },
    });
    expect(errors).toEqual([]);
    const labels = { 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'job-name': 'pi' };
    expect(obj.metadata.labels).toEqual(labels);
    expect(obj.spec).toEqual({
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
      template: { metadata: { labels }, spec: templateSpec('perl:5', 'Never') },
    });
  });

  it('leaves completions unset for a work-queue job (parallelism only)', () => {
    const { obj } = create('Job', 'batch', {
      metadata: meta('q'),
      spec: { parallelism: 3, template: { spec: { containers: [{ name: 'c', image: 'x:1' }], restartPolicy: 'OnFailure' } } },
    });
    expect((obj.spec as Record<string, unknown>).completions).toBeUndefined();
  });

  it('defaults a CronJob and its job template pod spec', () => {
    const { obj, errors } = create('CronJob', 'batch', {
      metadata: meta('tick'),
      spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:1' }], restartPolicy: 'OnFailure' } } } } },
    });
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      schedule: '*/5 * * * *',
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { spec: { template: { spec: templateSpec('busybox:1', 'OnFailure') } } },
    });
  });

  it('defaults a Service as `kubectl expose` sees it', () => {
    const { obj, errors } = create('Service', '', {
      metadata: meta('web'),
      spec: { ports: [{ port: 80 }], selector: { app: 'web' } },
    });
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      selector: { app: 'web' },
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
  });

  it('defaults externalTrafficPolicy for NodePort and LoadBalancer services', () => {
    const { obj } = create('Service', '', { metadata: meta('lb'), spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 'http' }] } });
    const spec = obj.spec as Record<string, unknown>;
    expect(spec.externalTrafficPolicy).toBe('Cluster');
    expect(spec.allocateLoadBalancerNodePorts).toBe(true);
    expect(spec.ports).toEqual([{ port: 80, targetPort: 'http', protocol: 'TCP' }]);
  });

  it('defaults a Namespace', () => {
    const { obj, errors } = create('Namespace', '', { metadata: { name: 'team-a' } });
    expect(errors).toEqual([]);
    expect(obj.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(obj.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(obj.status).toEqual({ phase: 'Active' });
  });

  it('defaults a Secret type and folds stringData into data', () => {
    const { obj } = create('Secret', '', { metadata: meta('s'), stringData: { password: 'hunter2' }, data: { user: 'YWRtaW4=' } });
    expect(obj).toMatchObject({ type: 'Opaque', data: { user: 'YWRtaW4=', password: Buffer.from('hunter2').toString('base64') } });
    expect(obj.stringData).toBeUndefined();
  });

  it('defaults an HPA with min replicas and the CPU metric', () => {
    const { obj, errors } = create('HorizontalPodAutoscaler', 'autoscaling', {
      metadata: meta('web'),
      spec: { maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
    });
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      minReplicas: 1,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
  });

  it('defaults a PVC volumeMode and phase', () => {
    const { obj, errors } = create('PersistentVolumeClaim', '', {
      metadata: meta('data'),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({ volumeMode: 'Filesystem' });
    expect(obj.status).toEqual({ phase: 'Pending' });
  });

  it('only fills absent fields', () => {
    const { obj } = create('Deployment', 'apps', {
      metadata: meta('web'),
      spec: { replicas: 0, revisionHistoryLimit: 2, selector: { matchLabels: { app: 'web' } }, template: { ...template(), spec: { containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Never' }], dnsPolicy: 'Default' } } },
    });
    const spec = obj.spec as { replicas: number; revisionHistoryLimit: number; template: { spec: { dnsPolicy: string; containers: { imagePullPolicy: string }[] } } };
    expect([spec.replicas, spec.revisionHistoryLimit, spec.template.spec.dnsPolicy, spec.template.spec.containers[0]!.imagePullPolicy]).toEqual([0, 2, 'Default', 'Never']);
  });
});
