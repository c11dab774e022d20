// Reads kubeconfig files the way client-go does: a KUBECONFIG list is merged (the first file to
// name a cluster, user or context wins; the first current-context wins), file paths inside a
// file are relative to that file, and the chosen context yields server, credentials and namespace.
import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ClientConfig } from './config.js';

export interface Kubeconfig extends ClientConfig {
  contextName: string;
  clusterName: string;
  userName: string;
  namespace: string;
}

/** One named cluster, user or context, with the directory of the file it came from. */
interface Entry {
  name: string;
  base: string;
  value: Record<string, unknown>;
}

interface Merged {
  currentContext?: string;
  clusters: Map<string, Entry>;
  users: Map<string, Entry>;
  contexts: Map<string, Entry>;
}

/** Loads `path` (or `$KUBECONFIG`, or `~/.kube/config`) and resolves `context` (or current-context). */
export function loadKubeconfig(path?: string, context?: string): Kubeconfig {
  const files = kubeconfigFiles(path);
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) mergeFile(merged, file);

  const contextName = context || merged.currentContext;
  if (!contextName) throw new Error(`kubeconfig ${files.join(delimiter)}: no current-context and no context given`);
  const ctx = merged.contexts.get(contextName);
  if (!ctx) throw new Error(`kubeconfig: context "${contextName}" not found`);
  const clusterName = str(ctx.value.cluster) ?? '';
  const userName = str(ctx.value.user) ?? '';
  const cluster = merged.clusters.get(clusterName);
  if (!cluster) throw new Error(`kubeconfig: cluster "${clusterName}" of context "${contextName}" not found`);
  const user = merged.users.get(userName);
  const server = str(cluster.value.server);
  if (!server) throw new Error(`kubeconfig: cluster "${clusterName}" has no server`);

  const config: Kubeconfig = {
    server,
    contextName,
    clusterName,
    userName,
    namespace: str(ctx.value.namespace) || 'default',
    insecureSkipTLSVerify: cluster.value['insecure-skip-tls-verify'] === true,
  };
  const ca = pem(cluster, 'certificate-authority');
  if (ca) config.ca = ca;
  const serverName = str(cluster.value['tls-server-name']);
  if (serverName) config.tlsServerName = serverName;
  if (user) applyUser(config, user);
  return config;
}

function kubeconfigFiles(path: string | undefined): string[] {
  const candidates = path
    ? path.split(delimiter)
    : process.env.KUBECONFIG
      ? process.env.KUBECONFIG.split(delimiter)
      : [resolve(homedir(), '.kube', 'config')];
  const unique = [...new Set(candidates.filter(Boolean).map((p) => resolve(p)))];
  const found = unique.filter((p) => existsSync(p));
  if (found.length === 0) throw new Error(`kubeconfig: none of ${unique.join(delimiter) || '(empty)'} exists`);
  return found;
}

function mergeFile(merged: Merged, file: string): void {
  const doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  merged.currentContext ||= str(doc['current-context']);
  const base = dirname(file);
  addNamed(merged.clusters, doc.clusters, 'cluster', base);
  addNamed(merged.users, doc.users, 'user', base);
  addNamed(merged.contexts, doc.contexts, 'context', base);
}

function addNamed(into: Map<string, Entry>, list: unknown, field: string, base: string): void {
  if (!Array.isArray(list)) return;
  for (const entry of list as Record<string, unknown>[]) {
    const name = str(entry?.name);
    if (name === undefined || into.has(name)) continue;
    into.set(name, { name, base, value: (entry[field] ?? {}) as Record<string, unknown> });
  }
}

function applyUser(config: Kubeconfig, user: Entry): void {
  const u = user.value;
  const tokenFile = str(u.tokenFile);
  const token = str(u.token) ?? (tokenFile ? readFileSync(resolvePath(user, tokenFile), 'utf8').trim() : undefined);
  if (token) config.token = token;
  if (str(u.username) !== undefined) {
    config.username = str(u.username);
    config.password = str(u.password) ?? '';
  }
  const cert = pem(user, 'client-certificate');
  const key = pem(user, 'client-key');
  if (cert) config.cert = cert;
  if (key) config.key = key;
}

/** `<field>-data` (base64 PEM) wins over `<field>` (a path, relative to its kubeconfig file). */
function pem(entry: Entry, field: string): string | undefined {
  const data = str(entry.value[`${field}-data`]);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const file = str(entry.value[field]);
  return file ? readFileSync(resolvePath(entry, file), 'utf8') : undefined;
}

function resolvePath(entry: Entry, file: string): string {
  return isAbsolute(file) ? file : resolve(entry.base, file);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
