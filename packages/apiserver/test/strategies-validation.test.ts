import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { cronScheduleError } from '../src/strategies/cron.js';
import { create, show } from './strategies-helpers.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const container = (extra: Record<string, unknown> = {}) => ({ name: 'c', image: 'nginx:1', ...extra });
const pod = (spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KObject => ({
  metadata: { name: 'p', namespace: 'default', ...metadata },
  spec: { containers: [container()], ...spec },
});
const deploy = (spec: Record<string, unknown> = {}): KObject => ({
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container()] } },
    ...spec,
  },
});
const job = (spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = { restartPolicy: 'Never' }): KObject => ({
  metadata: { name: 'j', namespace: 'default', uid: 'u-1' },
  spec: { template: { spec: { containers: [container()], ...podSpec } }, ...spec },
});
const service = (spec: Record<string, unknown>, name = 'web'): KObject => ({ metadata: { name, namespace: 'default' }, spec });

type Case = [string, string, string, KObject, string];

// [what, kind, group, object, expected "field: message"]
const cases: Case[] = [
  ['bad name', 'ConfigMap', '', { metadata: { name: 'Bad_Name', namespace: 'default' } }, `metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`],
  ['no name', 'ConfigMap', '', { metadata: { namespace: 'default' } }, 'metadata.name: Required value: name or generateName is required'],
  ['bad generateName', 'ConfigMap', '', { metadata: { generateName: 'Web-', namespace: 'default', name: 'web-x' } }, 'metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain'],
  ['no namespace', 'ConfigMap', '', { metadata: { name: 'c' } }, 'metadata.namespace: Required value'],
  ['namespace on a cluster kind', 'Node', '', { metadata: { name: 'n', namespace: 'x' } }, 'metadata.namespace: Forbidden: not allowed on this type'],
  ['namespace name is a label', 'Namespace', '', { metadata: { name: 'a.b' } }, 'metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of'],
  ['service name is a DNS-1035 label', 'Service', '', service({ ports: [{ port: 80 }] }, '1web'), 'metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character'],
  ['bad label key', 'ConfigMap', '', { metadata: { name: 'c', namespace: 'default', labels: { 'a b': 'x' } } }, 'metadata.labels: Invalid value: "a b": name part must consist of alphanumeric characters'],
  ['bad label value', 'ConfigMap', '', { metadata: { name: 'c', namespace: 'default', labels: { a: 'x y' } } }, 'metadata.labels: Invalid value: "x y": a valid label must be an empty string or consist of'],
  ['annotations too large', 'ConfigMap', '', { metadata: { name: 'c', namespace: 'default', annotations: { a: 'x'.repeat(262144) } } }, 'metadata.annotations: Too long: may not be more than 262144 bytes'],
  ['owner without uid', 'ConfigMap', '', { metadata: { name: 'c', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '' }] } }, 'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty'],
  // Pod
  ['no containers', 'Pod', '', pod({ containers: [] }), 'spec.containers: Required value'],
  ['container without name', 'Pod', '', pod({ containers: [{ image: 'x' }] }), 'spec.containers[0].name: Required value'],
  ['container without image', 'Pod', '', pod({ containers: [{ name: 'c' }] }), 'spec.containers[0].image: Required value'],
  ['container bad name', 'Pod', '', pod({ containers: [container({ name: 'C_1' })] }), 'spec.containers[0].name: Invalid value: "C_1": a lowercase RFC 1123 label'],
  ['duplicate containers', 'Pod', '', pod({ containers: [container(), container()] }), 'spec.containers[1].name: Duplicate value: "c"'],
  ['bad restartPolicy', 'Pod', '', pod({ restartPolicy: 'Sometimes' }), 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
  ['bad dnsPolicy', 'Pod', '', pod({ dnsPolicy: 'Google' }), 'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
  ['bad imagePullPolicy', 'Pod', '', pod({ containers: [container({ imagePullPolicy: 'Sometimes' })] }), 'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
  ['port out of range', 'Pod', '', pod({ containers: [container({ ports: [{ containerPort: 70000 }] })] }), 'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  ['port missing', 'Pod', '', pod({ containers: [container({ ports: [{ name: 'http' }] })] }), 'spec.containers[0].ports[0].containerPort: Required value'],
  ['bad protocol', 'Pod', '', pod({ containers: [container({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })] }), 'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
  ['duplicate port names', 'Pod', '', pod({ containers: [container({ ports: [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }] })] }), 'spec.containers[0].ports[1].name: Duplicate value: "http"'],
  ['port name too long', 'Pod', '', pod({ containers: [container({ ports: [{ name: 'a-very-long-port-name', containerPort: 80 }] })] }), 'spec.containers[0].ports[0].name: Invalid value: "a-very-long-port-name": must be no more than 15 characters'],
  ['probe without handler', 'Pod', '', pod({ containers: [container({ livenessProbe: { periodSeconds: 5 } })] }), 'spec.containers[0].livenessProbe: Required value: must specify a handler type'],
  ['liveness success threshold', 'Pod', '', pod({ containers: [container({ livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } })] }), 'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
  ['env without name', 'Pod', '', pod({ containers: [container({ env: [{ value: 'x' }] })] }), 'spec.containers[0].env[0].name: Required value'],
  ['mount of unknown volume', 'Pod', '', pod({ containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/d' }] })] }), 'spec.containers[0].volumeMounts[0].name: Not found: "data"'],
  ['duplicate volumes', 'Pod', '', pod({ volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }] }), 'spec.volumes[1].name: Duplicate value: "v"'],
  ['two volume sources', 'Pod', '', pod({ volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }] }), 'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type'],
  ['toleration operator', 'Pod', '', pod({ tolerations: [{ key: 'k', operator: 'Maybe' }] }), 'spec.tolerations[0].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"'],
  ['activeDeadlineSeconds zero', 'Pod', '', pod({ activeDeadlineSeconds: 0 }), 'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
  // Workloads
  ['negative replicas', 'Deployment', 'apps', deploy({ replicas: -1 }), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
  ['no selector', 'Deployment', 'apps', deploy({ selector: undefined }), 'spec.selector: Required value'],
  ['empty selector', 'Deployment', 'apps', deploy({ selector: {} }), 'spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
  ['selector mismatch', 'Deployment', 'apps', deploy({ selector: { matchLabels: { app: 'api' } } }), 'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
  ['bad selector operator', 'Deployment', 'apps', deploy({ selector: { matchExpressions: [{ key: 'app', operator: 'Like', values: ['x'] }] } }), 'spec.selector.matchExpressions[0].operator: Invalid value: "Like": not a valid selector operator'],
  ['In without values', 'ReplicaSet', 'apps', deploy({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }), "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
  ['template restartPolicy', 'Deployment', 'apps', deploy({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container()], restartPolicy: 'Never' } } }), 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
  ['template container image', 'Deployment', 'apps', deploy({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } } }), 'spec.template.spec.containers[0].image: Required value'],
  ['bad strategy type', 'Deployment', 'apps', deploy({ strategy: { type: 'BlueGreen' } }), 'spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"'],
  ['Recreate with rollingUpdate', 'Deployment', 'apps', deploy({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }), "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
  ['both zero', 'Deployment', 'apps', deploy({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }), 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
  ['bad percent', 'Deployment', 'apps', deploy({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'half' } } }), `spec.strategy.rollingUpdate.maxSurge: Invalid value: "half": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`],
  ['over 100%', 'Deployment', 'apps', deploy({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } } }), 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
  ['progress deadline', 'Deployment', 'apps', deploy({ minReadySeconds: 700 }), 'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
  ['statefulset policy', 'StatefulSet', 'apps', deploy({ podManagementPolicy: 'Random' }), 'spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"'],
  ['daemonset strategy', 'DaemonSet', 'apps', deploy({ updateStrategy: { type: 'Sometimes' } }), 'spec.updateStrategy.type: Unsupported value: "Sometimes": supported values: "OnDelete", "RollingUpdate"'],
  // Batch
  ['job restartPolicy Always', 'Job', 'batch', job({}, {}), 'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
  ['job negative backoff', 'Job', 'batch', job({ backoffLimit: -1 }), 'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0'],
  ['indexed job completions', 'Job', 'batch', job({ completionMode: 'Indexed', parallelism: 2 }), 'spec.completions: Required value: when completion mode is Indexed'],
  ['manual selector mismatch', 'Job', 'batch', job({ manualSelector: true, selector: { matchLabels: { a: 'b' } } }), 'spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`'],
  ['cronjob without schedule', 'CronJob', 'batch', { metadata: { name: 'c', namespace: 'default' }, spec: { jobTemplate: job().spec } } as KObject, 'spec.schedule: Required value'],
  ['cronjob bad schedule', 'CronJob', 'batch', { metadata: { name: 'c', namespace: 'default' }, spec: { schedule: 'every day', jobTemplate: { spec: job().spec } } } as KObject, 'spec.schedule: Invalid value: "every day": expected exactly 5 fields, found 2: [every day]'],
  ['cronjob TZ in schedule', 'CronJob', 'batch', { metadata: { name: 'c', namespace: 'default' }, spec: { schedule: 'CRON_TZ=UTC 0 0 * * *', jobTemplate: { spec: job().spec } } } as KObject, 'spec.schedule: Invalid value: "CRON_TZ=UTC 0 0 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
  ['cronjob long name', 'CronJob', 'batch', { metadata: { name: 'c'.repeat(53), namespace: 'default' }, spec: { schedule: '@hourly', jobTemplate: { spec: job().spec } } } as KObject, 'must be no more than 52 characters'],
  ['cronjob concurrency', 'CronJob', 'batch', { metadata: { name: 'c', namespace: 'default' }, spec: { schedule: '@daily', concurrencyPolicy: 'Never', jobTemplate: { spec: job().spec } } } as KObject, 'spec.concurrencyPolicy: Unsupported value: "Never": supported values: "Allow", "Forbid", "Replace"'],
  // Service
  ['service without ports', 'Service', '', service({ selector: { app: 'web' } }), 'spec.ports: Required value'],
  ['service port zero', 'Service', '', service({ ports: [{ port: 0 }] }), 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
  ['unnamed ports', 'Service', '', service({ ports: [{ port: 80 }, { port: 443 }] }), 'spec.ports[0].name: Required value'],
  ['duplicate service ports', 'Service', '', service({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }), 'spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}'],
  ['service type', 'Service', '', service({ type: 'Magic', ports: [{ port: 80 }] }), 'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
  ['external name', 'Service', '', service({ type: 'ExternalName' }), 'spec.externalName: Required value'],
  // Config, storage, networking, autoscaling
  ['configmap key', 'ConfigMap', '', { metadata: { name: 'c', namespace: 'default' }, data: { 'a/b': 'x' } }, "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
  ['tls secret keys', 'Secret', '', { metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } }, 'data[tls.key]: Required value'],
  ['pvc access modes', 'PersistentVolumeClaim', '', { metadata: { name: 'd', namespace: 'default' }, spec: { resources: { requests: { storage: '1Gi' } } } }, 'spec.accessModes: Required value: at least 1 access mode is required'],
  ['pvc storage', 'PersistentVolumeClaim', '', { metadata: { name: 'd', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'] } }, 'spec.resources[storage]: Required value'],
  ['ingress pathType', 'Ingress', 'networking.k8s.io', { metadata: { name: 'i', namespace: 'default' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } }, 'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
  ['ingress relative path', 'Ingress', 'networking.k8s.io', { metadata: { name: 'i', namespace: 'default' }, spec: { rules: [{ http: { paths: [{ path: 'x', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } }, 'spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path'],
  ['hpa max below min', 'HorizontalPodAutoscaler', 'autoscaling', { metadata: { name: 'h', namespace: 'default' }, spec: { minReplicas: 3, maxReplicas: 2, scaleTargetRef: { kind: 'Deployment', name: 'web' } } }, 'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`'],
  ['node taint effect', 'Node', '', { metadata: { name: 'n' }, spec: { taints: [{ key: 'k', effect: 'Never' }] } }, 'spec.taints[0].effect: Unsupported value: "Never": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"'],
];

describe('strategy validation', () => {
  it.each(cases)('rejects %s', (_what, kind, group, obj, expected) => {
    const { errors } = create(kind, group, obj);
    expect(show(errors)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('accepts the valid base objects of the table', () => {
    for (const [kind, group, obj] of [
      ['Pod', '', pod()],
      ['Deployment', 'apps', deploy()],
      ['Job', 'batch', job()],
      ['Service', '', service({ ports: [{ port: 80 }] })],
      ['Service', '', service({ clusterIP: 'None', selector: { app: 'web' } })],
      // A container may mount a volumeClaimTemplate by name: each pod of the set gets that volume.
      [
        'StatefulSet',
        'apps',
        deploy({
          serviceName: 'web',
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ ...container(), volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        }),
      ],
    ] as const) {
      expect(show(create(kind, group, obj).errors)).toEqual([]);
    }
  });

  it.each([
    ['*/15 0-6 1,15 JAN-MAR mon-fri', undefined],
    ['@weekly', undefined],
    ['0 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['@often', 'unrecognized descriptor: @often'],
    ['@midnight', undefined],
    ['@every 1h30m', undefined],
    ['@every soon', 'failed to parse duration @every soon'],
    ['0 0 ? * sun-sat', undefined],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['0 0 * 1,13 *', 'end of range (13) above maximum (12): 13'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['0 0 L * *', 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
    ['0 0 * * MON#2', 'failed to parse int from MON#2: strconv.Atoi: parsing "MON#2": invalid syntax'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
  ])('cron schedule %j', (schedule, error) => expect(cronScheduleError(schedule)).toBe(error));
});
