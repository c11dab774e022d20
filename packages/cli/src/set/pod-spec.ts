// The pure edits of `set image|env|resources` on a workload's pod spec.
import { CliError } from '../errors.js';

/** The pod spec inside a workload object (mutable reference), or undefined for kinds without one. */
export function podSpecOf(obj: any): any | undefined {
  if (obj.kind === 'Pod') return obj.spec;
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template?.spec;
  return obj.spec?.template?.spec;
}

const containersOf = (spec: any): any[] => [...(spec.initContainers ?? []), ...(spec.containers ?? [])];

/** `name=image` pairs; `*` means every container. Throws when a named container does not exist. */
export function setImages(spec: any, images: Record<string, string>): void {
  for (const [name, image] of Object.entries(images)) {
    const matched = containersOf(spec).filter((c) => name === '*' || c.name === name);
    if (matched.length === 0) throw new CliError(`unable to find container named "${name}"`);
    for (const c of matched) c.image = image;
  }
}

/** Splits `set env` arguments: `K=V` sets, `K-` removes. */
export function parseEnvArgs(args: string[]): { set: { name: string; value: string }[]; remove: string[]; rest: string[] } {
  const out = { set: [] as { name: string; value: string }[], remove: [] as string[], rest: [] as string[] };
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq > 0) out.set.push({ name: a.slice(0, eq), value: a.slice(eq + 1) });
    else if (a.endsWith('-') && out.rest.length > 0) out.remove.push(a.slice(0, -1));
    else out.rest.push(a);
  }
  return out;
}

/** Sets and removes env vars in the selected containers (all with `*`). */
export function setEnv(spec: any, container: string, set: { name: string; value: string }[], remove: string[]): void {
  for (const c of containersOf(spec).filter((x) => container === '*' || x.name === container)) {
    let env: any[] = (c.env ?? []).filter((e: any) => !remove.includes(e.name));
    for (const v of set) {
      const i = env.findIndex((e: any) => e.name === v.name);
      if (i >= 0) env[i] = v;
      else env = [...env, v];
    }
    if (env.length) c.env = env;
    else delete c.env;
  }
}

/** `cpu=200m,memory=512Mi` → {cpu: '200m', memory: '512Mi'}. */
export function parseResourceList(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const [k, v] = pair.split('=', 2);
    if (!k || !v) throw new CliError(`invalid resource specification: ${pair}`);
    out[k] = v;
  }
  return out;
}

export function setResources(spec: any, container: string, limits: Record<string, string>, requests: Record<string, string>): void {
  const matched = containersOf(spec).filter((c) => container === '*' || c.name === container);
  if (matched.length === 0) throw new CliError(`unable to find container named ${container}`);
  for (const c of matched) {
    c.resources ??= {};
    if (Object.keys(limits).length) c.resources.limits = { ...c.resources.limits, ...limits };
    if (Object.keys(requests).length) c.resources.requests = { ...c.resources.requests, ...requests };
  }
}
