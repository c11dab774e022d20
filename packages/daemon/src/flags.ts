// mini-kubed's command line. Later issues add flags (--nodes, --runtime) beside these.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface DaemonConfig {
  dataDir: string;
  host: string;
  port: number;
  /** `sqlite`, `memory` or `etcd://host:port`. */
  store: string;
  logLevel: LogLevel;
  /** How long watch history is kept (resumable watches), in milliseconds. */
  watchHistoryMs: number;
}

export const USAGE = `Usage: mini-kubed [flags]

A Kubernetes-compatible control plane in one process.

Flags:
  --data-dir DIR          where state and the kubeconfig live (default ~/.mini-kube)
  --listen HOST:PORT      address of the API server (default 127.0.0.1:6443; plain HTTP)
  --store KIND            sqlite (default), memory, or etcd://HOST:PORT
  --watch-history SECONDS how long watch history is kept for resuming watches (default 300)
  --log-level LEVEL       error, warn, info (default) or debug
  -h, --help              show this help`;

export class FlagError extends Error {}

function parseListen(value: string): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  const host = at > 0 ? value.slice(0, at) : '';
  const port = Number(value.slice(at + 1));
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535) throw new FlagError(`--listen: expected HOST:PORT, got "${value}"`);
  return { host, port };
}

function parseStore(value: string): string {
  if (value === 'sqlite' || value === 'memory' || value.startsWith('etcd://')) return value;
  throw new FlagError(`--store: expected sqlite, memory or etcd://HOST:PORT, got "${value}"`);
}

/** Parses argv (without node and the script); returns undefined when help was asked for. */
export function parseFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): DaemonConfig | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        listen: { type: 'string' },
        store: { type: 'string' },
        'watch-history': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new FlagError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return undefined;
  const level = (v['log-level'] ?? 'info') as LogLevel;
  if (!['error', 'warn', 'info', 'debug'].includes(level)) throw new FlagError(`--log-level: expected error, warn, info or debug, got "${level}"`);
  const history = Number(v['watch-history'] ?? 300);
  if (!Number.isFinite(history) || history <= 0) throw new FlagError(`--watch-history: expected a number of seconds, got "${v['watch-history']}"`);
  return {
    dataDir: resolve(v['data-dir'] ?? join(env.HOME ?? homedir(), '.mini-kube')),
    ...parseListen(v.listen ?? '127.0.0.1:6443'),
    store: parseStore(v.store ?? 'sqlite'),
    logLevel: level,
    watchHistoryMs: history * 1000,
  };
}
