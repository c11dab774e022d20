// `create -f` and the generators `create deployment|namespace|configmap|secret generic|service clusterip`.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Ctx } from '../context.js';
import { CliError, ReportedErrors, reportError, withSource } from '../errors.js';
import { dryRunOf, fieldValidation, locate } from '../apply/locate.js';
import { withLastApplied } from '../apply/last-applied.js';
import { readManifests, type Manifest } from '../manifests.js';
import { goJson } from '../printers/json.js';
import { objectPrinter } from '../printers/output.js';

interface CreateOptions {
  filename?: string[];
  recursive?: boolean;
  output?: string;
  dryRun?: string;
  fieldManager?: string;
  image?: string;
  replicas?: string;
  port?: string;
  fromLiteral?: string;
  fromFile?: string;
  tcp?: string;
  validate?: string;
  saveConfig?: boolean;
}

export async function run(ctx: Ctx, args: string[], opts: CreateOptions & { rawArgs?: string[] }): Promise<number> {
  const manifests = opts.filename?.length ? await readManifests(opts.filename, !!opts.recursive) : [{ object: generate(args, opts), source: '' }];
  const print = opts.output ? objectPrinter(opts.output) : undefined;
  const dry = dryRunOf(opts.dryRun);
  let failed = false;
  for (const m of manifests) {
    try {
      const t = await locate(ctx, m as Manifest);
      const body = opts.saveConfig ? withLastApplied(t.object) : t.object;
      const result = dry.client ? body : await ctx.http.json('POST', t.collection, { query: { fieldManager: opts.fieldManager ?? 'kubectl-create', fieldValidation: fieldValidation(opts.validate), dryRun: dry.query }, body: goJson(body), resource: t.resource.resource }).catch((e) => {
        throw withSource(e, 'creating', m.source);
      });
      ctx.out(print ? print([result], true) : `${t.display} created${dry.suffix}\n`);
    } catch (err) {
      failed = true;
      reportError(err);
    }
  }
  if (failed) throw new ReportedErrors();
  return 0;
}

/** The object a generator builds, as kubectl's `create <kind>` does. */
export function generate(args: string[], opts: CreateOptions): any {
  const [kind, ...rest] = args;
  const meta = (name: string | undefined, labels?: Record<string, string>) => {
    if (!name) throw new CliError('NAME is required');
    return { name, ...(labels ? { labels } : {}) };
  };
  switch (kind) {
    case 'namespace':
    case 'ns':
      return { apiVersion: 'v1', kind: 'Namespace', metadata: meta(rest[0]), spec: {}, status: {} };
    case 'deployment':
    case 'deploy': {
      const name = rest[0];
      if (!opts.image) throw new CliError('required flag(s) "image" not set');
      const labels = { app: name! };
      const container: any = { name: basename(opts.image).split(/[:@]/)[0], image: opts.image, resources: {} };
      if (opts.port) container.ports = [{ containerPort: Number(opts.port) }];
      return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, labels), spec: { replicas: Number(opts.replicas ?? 1), selector: { matchLabels: labels }, strategy: {}, template: { metadata: { labels }, spec: { containers: [container] } } }, status: {} };
    }
    case 'configmap':
    case 'cm':
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(rest[0]), data: dataOf(opts) };
    case 'secret': {
      if (rest[0] !== 'generic') throw new CliError(`unknown secret type "${rest[0] ?? ''}"; only "generic" is supported`);
      const data = Object.fromEntries(Object.entries(dataOf(opts)).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
      return { apiVersion: 'v1', kind: 'Secret', metadata: meta(rest[1]), data, type: 'Opaque' };
    }
    case 'service':
    case 'svc': {
      if (rest[0] !== 'clusterip') throw new CliError(`unknown service type "${rest[0] ?? ''}"; only "clusterip" is supported`);
      const name = rest[1]!;
      const ports = (opts.tcp ?? '').split(',').filter(Boolean).map((spec) => {
        const [port, target] = spec.split(':');
        return { name: `${port}-${target ?? port}`, port: Number(port), protocol: 'TCP', targetPort: Number(target ?? port) };
      });
      return { apiVersion: 'v1', kind: 'Service', metadata: meta(name, { app: name }), spec: { ports, selector: { app: name }, type: 'ClusterIP' }, status: { loadBalancer: {} } };
    }
  }
  throw new CliError(kind ? `unknown generator "${kind}"` : 'must specify one of -f and -k');
}

function dataOf(opts: CreateOptions): Record<string, string> {
  const data: Record<string, string> = {};
  for (const kv of [opts.fromLiteral].flat().filter(Boolean) as string[]) {
    const eq = kv.indexOf('=');
    data[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  for (const f of [opts.fromFile].flat().filter(Boolean) as string[]) {
    const [key, path] = f.includes('=') ? f.split('=', 2) : [basename(f), f];
    data[key!] = readFileSync(path!, 'utf8');
  }
  return data;
}
