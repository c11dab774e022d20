// Kubeconfig as kubectl reads it: the KUBECONFIG list is merged (first file to name a cluster,
// user or context wins; first current-context wins), --kubeconfig names a single file, and the
// command-line overrides (--context, --server, --token, -n ...) are laid over the chosen context.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, resolve } from 'node:path';
import type { Connection } from '../http.js';
import { CliError } from '../errors.js';

export interface Named<T = Record<string, any>> {
  name: string;
  file: string;
  value: T;
}

export interface MergedConfig {
  files: string[];
  currentContext: string;
  clusters: Named[];
  users: Named[];
  contexts: Named[];
  preferences: Record<string, unknown>;
}

export interface GlobalFlags {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  server?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  cacheDir?: string;
}

export interface Resolved {
  conn: Connection;
  namespace: string;
  /** Whether -n was given (apply refuses objects of another namespace then). */
  explicitNamespace: boolean;
  contextName: string;
}

/** The files kubectl would read, in precedence order (only existing ones). */
export function configFiles(flagPath?: string): string[] {
  if (flagPath) {
    if (!existsSync(flagPath)) throw new CliError(`stat ${flagPath}: no such file or directory`);
    return [resolve(flagPath)];
  }
  const env = process.env.KUBECONFIG;
  const list = env ? env.split(delimiter).filter(Boolean) : [resolve(homedir(), '.kube', 'config')];
  return [...new Set(list.map((p) => resolve(p)))].filter((p) => existsSync(p));
}

/** Where writes go when no file names the thing being changed: --kubeconfig, the first KUBECONFIG entry, or ~/.kube/config. */
export function defaultWriteFile(flagPath?: string): string {
  if (flagPath) return resolve(flagPath);
  const env = process.env.KUBECONFIG?.split(delimiter).filter(Boolean);
  return resolve(env?.[0] ?? resolve(homedir(), '.kube', 'config'));
}

/** Reads one kubeconfig file (config/read.ts parses YAML; fast.ts answers from the JSON cache). */
export type ConfigReader = (file: string) => Record<string, any>;

export function loadMerged(flagPath: string | undefined, read: ConfigReader): MergedConfig {
  const files = configFiles(flagPath);
  const merged: MergedConfig = { files, currentContext: '', clusters: [], users: [], contexts: [], preferences: {} };
  for (const file of files) {
    const doc = read(file);
    merged.currentContext ||= typeof doc['current-context'] === 'string' ? doc['current-context'] : '';
    addNamed(merged.clusters, doc.clusters, 'cluster', file);
    addNamed(merged.users, doc.users, 'user', file);
    addNamed(merged.contexts, doc.contexts, 'context', file);
  }
  return merged;
}

function addNamed(into: Named[], list: unknown, field: string, file: string): void {
  if (!Array.isArray(list)) return;
  for (const entry of list as Record<string, any>[]) {
    if (typeof entry?.name !== 'string' || into.some((n) => n.name === entry.name)) continue;
    into.push({ name: entry.name, file, value: (entry[field] ?? {}) as Record<string, any> });
  }
}

/** The connection and namespace for one command, flags over kubeconfig. */
export function resolveConfig(flags: GlobalFlags, read: ConfigReader): Resolved {
  const merged = loadMerged(flags.kubeconfig, read);
  const contextName = flags.context || merged.currentContext;
  const ctx = merged.contexts.find((c) => c.name === contextName);
  if (flags.context && !ctx) throw new CliError(`context was not found for specified context: ${flags.context}`);
  const clusterName = flags.cluster || ctx?.value.cluster;
  const userName = flags.user || ctx?.value.user;
  const cluster = merged.clusters.find((c) => c.name === clusterName);
  const user = merged.users.find((u) => u.name === userName);
  if (flags.cluster && !cluster) throw new CliError(`cluster "${flags.cluster}" does not exist`);

  const server = flags.server || cluster?.value.server;
  if (!server) {
    if (merged.files.length === 0 && !flags.server) throw new CliError('The connection to the server localhost:8080 was refused - did you specify the right host or port?');
    throw new CliError(`no server found for cluster "${clusterName ?? ''}"`);
  }
  const conn: Connection = { server: /^https?:\/\//.test(server) ? server : `https://${server}` };
  if (cluster) {
    conn.insecure = cluster.value['insecure-skip-tls-verify'] === true;
    conn.ca = pem(cluster, 'certificate-authority');
    if (cluster.value['tls-server-name']) conn.tlsServerName = cluster.value['tls-server-name'];
  }
  if (user) {
    const u = user.value;
    conn.token = u.token ?? (u.tokenFile ? readFileSync(relativeTo(user, u.tokenFile), 'utf8').trim() : undefined);
    if (typeof u.username === 'string') [conn.username, conn.password] = [u.username, u.password ?? ''];
    conn.cert = pem(user, 'client-certificate');
    conn.key = pem(user, 'client-key');
  }
  if (flags.token) conn.token = flags.token;
  if (flags.insecureSkipTlsVerify) conn.insecure = true;
  if (flags.certificateAuthority) conn.ca = readFileSync(flags.certificateAuthority, 'utf8');
  if (flags.clientCertificate) conn.cert = readFileSync(flags.clientCertificate, 'utf8');
  if (flags.clientKey) conn.key = readFileSync(flags.clientKey, 'utf8');
  return {
    conn,
    namespace: flags.namespace || ctx?.value.namespace || 'default',
    explicitNamespace: Boolean(flags.namespace),
    contextName: contextName ?? '',
  };
}

/** `<field>-data` (base64) wins over `<field>` (a path relative to its kubeconfig file). */
function pem(entry: Named, field: string): string | undefined {
  const data = entry.value[`${field}-data`];
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64').toString('utf8');
  const file = entry.value[field];
  return typeof file === 'string' && file ? readFileSync(relativeTo(entry, file), 'utf8') : undefined;
}

function relativeTo(entry: Named, file: string): string {
  return isAbsolute(file) ? file : resolve(dirname(entry.file), file);
}
