// The Service environment variables a pod gets, as Kubernetes computes them.
import { describe, expect, it } from 'vitest';
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { serviceEnv } from '../src/service-env.js';

const svc = (namespace: string, name: string, clusterIP: string, ports: ServicePort[]): Service => ({
  metadata: { name, namespace },
  spec: { clusterIP, ports },
});

const kubernetes = svc('default', 'kubernetes', '127.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]);
const kubernetesEnv = {
  KUBERNETES_SERVICE_HOST: '127.96.0.1',
  KUBERNETES_SERVICE_PORT: '443',
  KUBERNETES_SERVICE_PORT_HTTPS: '443',
  KUBERNETES_PORT: 'tcp://127.96.0.1:443',
  KUBERNETES_PORT_443_TCP: 'tcp://127.96.0.1:443',
  KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
  KUBERNETES_PORT_443_TCP_PORT: '443',
  KUBERNETES_PORT_443_TCP_ADDR: '127.96.0.1',
};

describe('serviceEnv', () => {
  it('gives every variable of a multi-port Service with a dashed name', () => {
    const web = svc('shop', 'web-front', '127.96.0.7', [
      { port: 80, targetPort: 8080 },
      { name: 'dns-udp', port: 53, protocol: 'UDP' },
    ]);
    expect(serviceEnv([web], 'shop', true)).toEqual({
      WEB_FRONT_SERVICE_HOST: '127.96.0.7',
      WEB_FRONT_SERVICE_PORT: '80',
      WEB_FRONT_SERVICE_PORT_DNS_UDP: '53',
      WEB_FRONT_PORT: 'tcp://127.96.0.7:80',
      WEB_FRONT_PORT_80_TCP: 'tcp://127.96.0.7:80',
      WEB_FRONT_PORT_80_TCP_PROTO: 'tcp',
      WEB_FRONT_PORT_80_TCP_PORT: '80',
      WEB_FRONT_PORT_80_TCP_ADDR: '127.96.0.7',
      WEB_FRONT_PORT_53_UDP: 'udp://127.96.0.7:53',
      WEB_FRONT_PORT_53_UDP_PROTO: 'udp',
      WEB_FRONT_PORT_53_UDP_PORT: '53',
      WEB_FRONT_PORT_53_UDP_ADDR: '127.96.0.7',
    });
  });

  const other = svc('other', 'db', '127.96.0.9', [{ port: 5432 }]);
  const headless = svc('shop', 'peers', 'None', [{ port: 7000 }]);
  const external: Service = { metadata: { name: 'ext', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'example.com' } };
  const mine = svc('shop', 'db', '127.96.0.8', [{ port: 5432 }]);
  it.each([
    ['links on: own namespace and kubernetes; not other namespaces, headless or ExternalName', true, ['DB_SERVICE_HOST=127.96.0.8', 'KUBERNETES_SERVICE_HOST=127.96.0.1']],
    ['links off: only the kubernetes Service', false, ['KUBERNETES_SERVICE_HOST=127.96.0.1']],
  ])('%s', (_t, links, want) => {
    const env = serviceEnv([kubernetes, other, headless, external, mine], 'shop', links);
    expect(Object.entries(env).filter(([k]) => k.endsWith('_SERVICE_HOST')).map(([k, v]) => `${k}=${v}`).sort()).toEqual(want);
  });

  it('gives pods in default the kubernetes variables exactly once', () => {
    expect(serviceEnv([kubernetes], 'default', true)).toEqual(kubernetesEnv);
    expect(serviceEnv([kubernetes], 'default', false)).toEqual(kubernetesEnv);
  });
});
