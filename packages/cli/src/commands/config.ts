// `config view|get-contexts|current-context|use-context|set-context`: reads the merged
// kubeconfig and writes changes into the file that defines what is changed.
import { writeFileSync } from 'node:fs';
import type { Ctx } from '../context.js';
import { CliError } from '../errors.js';
import { defaultWriteFile, loadMerged, type MergedConfig } from '../config/kubeconfig.js';
import { readConfigFile } from '../config/read.js';
import { printJson } from '../printers/json.js';
import { tabulate } from '../printers/tabwriter.js';
import { toYaml } from '../printers/yaml.js';

interface ConfigOptions {
  current?: boolean;
  namespace?: string;
  cluster?: string;
  user?: string;
  minify?: boolean;
  raw?: boolean;
  output?: string;
  headers?: boolean;
}

export async function run(ctx: Ctx, args: string[], opts: ConfigOptions): Promise<number> {
  const [sub, ...rest] = args;
  const merged = loadMerged(ctx.flags.kubeconfig, (f) => readConfigFile(f));
  const current = ctx.flags.context || merged.currentContext;
  switch (sub) {
    case 'view':
      ctx.out(view(merged, current, opts));
      return 0;
    case 'current-context':
      if (!current) throw new CliError('current-context is not set');
      ctx.out(`${current}\n`);
      return 0;
    case 'get-contexts':
      ctx.out(getContexts(merged, current, rest, opts));
      return 0;
    case 'use-context': {
      const name = rest[0];
      if (!name || !merged.contexts.some((c) => c.name === name)) throw new CliError(`no context exists with the name: "${name ?? ''}"`);
      const file = merged.files.find((f) => readConfigFile(f)['current-context'] !== undefined) ?? merged.files[0] ?? defaultWriteFile(ctx.flags.kubeconfig);
      rewrite(file, (doc) => (doc['current-context'] = name));
      ctx.out(`Switched to context "${name}".\n`);
      return 0;
    }
    case 'set-context': {
      const name = opts.current ? current : rest[0];
      if (!name) throw new CliError(opts.current ? 'no current context is set' : 'you must specify a non-empty context name or --current');
      const existing = merged.contexts.find((c) => c.name === name);
      const file = existing?.file ?? merged.files[0] ?? defaultWriteFile(ctx.flags.kubeconfig);
      rewrite(file, (doc) => {
        doc.contexts ??= [];
        let entry = doc.contexts.find((c: { name: string }) => c.name === name);
        if (!entry) doc.contexts.push((entry = { name, context: {} }));
        entry.context ??= {};
        if (opts.namespace !== undefined) entry.context.namespace = opts.namespace;
        if (opts.cluster !== undefined) entry.context.cluster = opts.cluster;
        if (opts.user !== undefined) entry.context.user = opts.user;
      });
      ctx.out(`Context "${name}" ${existing ? 'modified' : 'created'}.\n`);
      return 0;
    }
  }
  throw new CliError(sub ? `unknown command "${sub}" for "mini-kubectl config"` : 'a config subcommand is required: view, get-contexts, current-context, use-context, set-context');
}

function rewrite(file: string, change: (doc: Record<string, any>) => void): void {
  let doc: Record<string, any>;
  try {
    doc = readConfigFile(file);
  } catch {
    doc = { apiVersion: 'v1', kind: 'Config', clusters: [], contexts: [], users: [], preferences: {} };
  }
  change(doc);
  writeFileSync(file, toYaml(doc), { mode: 0o600 });
}

const REDACT_DATA = ['certificate-authority-data', 'client-certificate-data', 'client-key-data'];

function redact(value: Record<string, any>, raw: boolean): Record<string, any> {
  if (raw) return value;
  const out = { ...value };
  for (const k of REDACT_DATA) if (out[k]) out[k] = 'DATA+OMITTED';
  if (out.token) out.token = 'REDACTED';
  if (out.password) out.password = 'REDACTED';
  return out;
}

function view(merged: MergedConfig, current: string, opts: ConfigOptions): string {
  let { contexts, clusters, users } = merged;
  if (opts.minify) {
    contexts = contexts.filter((c) => c.name === current);
    clusters = clusters.filter((c) => contexts.some((x) => x.value.cluster === c.name));
    users = users.filter((u) => contexts.some((x) => x.value.user === u.name));
  }
  const doc = {
    apiVersion: 'v1',
    clusters: clusters.map((c) => ({ cluster: redact(c.value, !!opts.raw), name: c.name })),
    contexts: contexts.map((c) => ({ context: c.value, name: c.name })),
    'current-context': opts.minify ? current : merged.currentContext,
    kind: 'Config',
    preferences: {},
    users: users.map((u) => ({ name: u.name, user: redact(u.value, !!opts.raw) })),
  };
  return opts.output === 'json' ? printJson(doc) : toYaml(doc);
}

function getContexts(merged: MergedConfig, current: string, names: string[], opts: ConfigOptions): string {
  const chosen = names.length ? merged.contexts.filter((c) => names.includes(c.name)) : merged.contexts;
  if (opts.output === 'name') return chosen.map((c) => `${c.name}\n`).join('');
  const lines = opts.headers === false ? [] : ['CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE'];
  for (const c of [...chosen].sort((a, b) => (a.name < b.name ? -1 : 1))) lines.push([c.name === current ? '*' : '', c.name, c.value.cluster ?? '', c.value.user ?? '', c.value.namespace ?? ''].join('\t'));
  return tabulate(lines);
}
