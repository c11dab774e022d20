// Discovery as kubectl uses it: aggregated /api and /apis (legacy per-group-version documents as
// a fallback), cached on disk for six hours, refreshed once when a name does not resolve.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors.js';
import type { Http } from './http.js';

export interface ApiResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  singular: string;
  shortNames: string[];
  verbs: string[];
  categories: string[];
  subresources: string[];
}

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const TTL_MS = 6 * 3600_000;

export const groupVersion = (r: { group: string; version: string }): string => (r.group ? `${r.group}/${r.version}` : r.version);
/** `deployments.apps`, `pods`: how kubectl names a resource in messages. */
export const qualified = (r: ApiResource): string => (r.group ? `${r.resource}.${r.group}` : r.resource);
/** `deployment.apps`, `pod`: the prefix of `-o name` and multi-type tables. */
export const kindPrefix = (r: { kind: string; group: string }): string => (r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase());

export function resourcePath(r: ApiResource, namespace?: string, name?: string, sub?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (sub) p += `/${sub}`;
  return p;
}

export class Discovery {
  private cached?: ApiResource[];

  constructor(
    private readonly http: Http,
    private readonly cacheDir = join(homedir(), '.kube', 'cache'),
  ) {}

  private get cacheFile(): string {
    const host = new URL(this.http.conn.server).host.replace(/[^\w.-]/g, '_');
    return join(this.cacheDir, 'mini-kubectl', `${host}.json`);
  }

  async resources(refresh = false): Promise<ApiResource[]> {
    if (this.cached && !refresh) return this.cached;
    if (!refresh) {
      try {
        const saved = JSON.parse(readFileSync(this.cacheFile, 'utf8')) as { at: number; resources: ApiResource[] };
        if (Date.now() - saved.at < TTL_MS) return (this.cached = saved.resources);
      } catch {
        // no cache yet
      }
    }
    this.cached = await this.fetch();
    try {
      mkdirSync(join(this.cacheDir, 'mini-kubectl'), { recursive: true });
      writeFileSync(this.cacheFile, JSON.stringify({ at: Date.now(), resources: this.cached }));
    } catch {
      // an unwritable cache only costs speed
    }
    return this.cached;
  }

  private async fetch(): Promise<ApiResource[]> {
    const [core, groups] = await Promise.all([this.http.open('GET', '/api', { accept: AGGREGATED, query: { timeout: '32s' } }), this.http.open('GET', '/apis', { accept: AGGREGATED, query: { timeout: '32s' } })]);
    const { readAll } = await import('./http.js');
    const texts = await Promise.all([readAll(core), readAll(groups)]);
    const aggregated = [core, groups].every((r) => String(r.headers['content-type']).includes('APIGroupDiscoveryList'));
    if (aggregated) return texts.flatMap((t) => fromAggregated(JSON.parse(t)));
    return this.fetchLegacy(JSON.parse(texts[0]!), JSON.parse(texts[1]!));
  }

  private async fetchLegacy(api: { versions?: string[] }, apis: { groups?: { name: string; preferredVersion: { version: string } }[] }): Promise<ApiResource[]> {
    const gvs = [...(api.versions ?? []).map((v) => ({ group: '', version: v })), ...(apis.groups ?? []).map((g) => ({ group: g.name, version: g.preferredVersion.version }))];
    const lists = await Promise.all(gvs.map((gv) => this.http.json(`GET`, gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`).catch(() => ({ resources: [] }))));
    return lists.flatMap((list, i) => fromLegacy(gvs[i]!, list.resources ?? []));
  }

  /** Resolves `po`, `pods`, `pod`, `Pod`, `deployments.apps`, `deployment.v1.apps`. */
  async resolve(name: string): Promise<ApiResource> {
    const found = match(await this.resources(), name) ?? match(await this.resources(true), name);
    if (!found) throw new CliError(`the server doesn't have a resource type "${name}"`);
    return found;
  }

  async byKind(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const find = (list: ApiResource[]) => list.find((r) => groupVersion(r) === apiVersion && r.kind === kind);
    return find(await this.resources()) ?? find(await this.resources(true));
  }
}

export function match(list: ApiResource[], input: string): ApiResource | undefined {
  const name = input.toLowerCase();
  const [first, ...rest] = name.split('.');
  const candidates: [string, string | undefined, string | undefined][] = [[name, undefined, undefined]];
  if (rest.length) {
    candidates.push([first!, undefined, rest.join('.')]);
    if (rest.length >= 1) candidates.push([first!, rest[0], rest.slice(1).join('.')]);
  }
  for (const [res, version, group] of candidates) {
    const pool = list.filter((r) => (group === undefined || r.group === group) && (version === undefined || r.version === version));
    const hit =
      pool.find((r) => r.resource === res) ??
      pool.find((r) => r.singular === res) ??
      pool.find((r) => r.shortNames.includes(res)) ??
      pool.find((r) => r.kind.toLowerCase() === res);
    if (hit) return hit;
  }
  return undefined;
}

function fromAggregated(doc: any): ApiResource[] {
  const out: ApiResource[] = [];
  for (const item of doc.items ?? []) {
    const version = item.versions?.[0]; // the first version is the preferred one
    if (!version) continue;
    for (const r of version.resources ?? []) {
      out.push({
        group: item.metadata?.name ?? '',
        version: version.version,
        resource: r.resource,
        kind: r.responseKind?.kind ?? '',
        namespaced: r.scope === 'Namespaced',
        singular: r.singularResource ?? '',
        shortNames: r.shortNames ?? [],
        verbs: r.verbs ?? [],
        categories: r.categories ?? [],
        subresources: (r.subresources ?? []).map((s: { subresource: string }) => s.subresource),
      });
    }
  }
  return out;
}

function fromLegacy(gv: { group: string; version: string }, resources: any[]): ApiResource[] {
  const subs = resources.filter((r) => r.name.includes('/'));
  return resources
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      group: gv.group,
      version: gv.version,
      resource: r.name,
      kind: r.kind,
      namespaced: r.namespaced,
      singular: r.singularName ?? '',
      shortNames: r.shortNames ?? [],
      verbs: r.verbs ?? [],
      categories: r.categories ?? [],
      subresources: subs.filter((s) => s.name.startsWith(`${r.name}/`)).map((s) => s.name.split('/')[1]),
    }));
}
