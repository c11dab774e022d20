// What every verb gets: the HTTP transport, discovery, the namespace, and output streams.
import { resolveConfig, type ConfigReader, type GlobalFlags } from './config/kubeconfig.js';
import { Discovery } from './discovery.js';
import { Http } from './http.js';

export interface Ctx {
  http: Http;
  discovery: Discovery;
  namespace: string;
  explicitNamespace: boolean;
  flags: GlobalFlags;
  out(text: string): void;
  err(text: string): void;
}

export function createContext(flags: GlobalFlags, read: ConfigReader): Ctx {
  const resolved = resolveConfig(flags, read);
  const http = new Http(resolved.conn);
  return {
    http,
    discovery: new Discovery(http, flags.cacheDir),
    namespace: resolved.namespace,
    explicitNamespace: resolved.explicitNamespace,
    flags,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  };
}
