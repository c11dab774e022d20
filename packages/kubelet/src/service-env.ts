// The Service environment variables of a pod (kubelet getServiceEnvVarMap + pkg/kubelet/envvars):
// for each Service with a cluster IP in the pod's namespace (only when enableServiceLinks), and
// always for the `kubernetes` Service of `default`, `<SVC>_SERVICE_HOST`, `<SVC>_SERVICE_PORT`,
// `<SVC>_SERVICE_PORT_<NAME>` and the Docker-link family `<SVC>_PORT`, `<SVC>_PORT_<port>_<PROTO>…`.
import type { Service } from 'kubernetes-types/core/v1';

/** Services in `default` whose variables every pod gets, even with enableServiceLinks false. */
const MASTER_SERVICES = new Set(['kubernetes']);

const hasClusterIP = (svc: Service): boolean => !!svc.spec?.clusterIP && svc.spec.clusterIP !== 'None';
const envName = (name: string): string => name.replace(/-/g, '_').toUpperCase();

export function serviceEnv(services: Service[], namespace: string, enableServiceLinks: boolean): Record<string, string> {
  const chosen = new Map<string, Service>();
  for (const svc of services) {
    if (!hasClusterIP(svc)) continue;
    const name = svc.metadata?.name ?? '';
    if (svc.metadata?.namespace === 'default' && MASTER_SERVICES.has(name)) {
      if (!chosen.has(name)) chosen.set(name, svc);
    } else if (svc.metadata?.namespace === namespace && enableServiceLinks) {
      chosen.set(name, svc);
    }
  }
  const env: Record<string, string> = {};
  for (const svc of chosen.values()) Object.assign(env, variablesOf(svc));
  return env;
}

function variablesOf(svc: Service): Record<string, string> {
  const prefix = envName(svc.metadata?.name ?? '');
  const ip = svc.spec!.clusterIP!;
  const ports = svc.spec?.ports ?? [];
  const env: Record<string, string> = { [`${prefix}_SERVICE_HOST`]: ip };
  if (ports.length === 0) return env;
  env[`${prefix}_SERVICE_PORT`] = String(ports[0]!.port);
  for (const p of ports) if (p.name) env[`${prefix}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
  ports.forEach((p, i) => {
    const protocol = (p.protocol ?? 'TCP').toLowerCase();
    const url = `${protocol}://${ip}:${p.port}`;
    if (i === 0) env[`${prefix}_PORT`] = url;
    const portPrefix = `${prefix}_PORT_${p.port}_${protocol.toUpperCase()}`;
    env[portPrefix] = url;
    env[`${portPrefix}_PROTO`] = protocol;
    env[`${portPrefix}_PORT`] = String(p.port);
    env[`${portPrefix}_ADDR`] = ip;
  });
  return env;
}
