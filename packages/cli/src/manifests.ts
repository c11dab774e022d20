// Reads the objects of -f arguments: files, directories (-R for subdirectories), `-` for stdin,
// multi-document YAML, JSON, and `kind: List` (or any *List with items) expanded.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Ctx } from './context.js';
import { CliError } from './errors.js';
import type { Target } from './targets.js';

export interface Manifest {
  object: any;
  /** The file it came from (`STDIN` for -), as kubectl names it in messages. */
  source: string;
}

const EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

export async function readManifests(paths: string[], recursive: boolean): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const p of paths) {
    if (p === '-') out.push(...parseDocs(await readStdin(), 'STDIN'));
    else for (const file of expand(p, recursive, true)) out.push(...parseDocs(readFileSync(file, 'utf8'), file));
  }
  return out;
}

function expand(path: string, recursive: boolean, top: boolean): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new CliError(`the path "${path}" does not exist`);
  }
  if (!st.isDirectory()) return top || EXTENSIONS.has(extname(path)) ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) return recursive ? expand(full, recursive, false) : [];
      return EXTENSIONS.has(extname(entry)) ? [full] : [];
    });
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

export function parseDocs(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text) as any[]) {
    if (doc.errors?.length) throw new CliError(`error parsing ${source}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new CliError(`error validating "${source}": error validating data: invalid object`);
    for (const object of flatten(value)) {
      if (!object.kind) throw new CliError(`error validating "${source}": error validating data: kind not set`);
      if (!object.apiVersion) throw new CliError(`error validating "${source}": error validating data: apiVersion not set`);
      out.push({ object, source });
    }
  }
  return out;
}

function flatten(obj: any): any[] {
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) return obj.items.flatMap(flatten);
  return [obj];
}

/** The objects named by -f arguments, as targets of `get` and `describe` (each by its kind and name). */
export async function targetsFromManifests(ctx: Ctx, filenames: string[], recursive: boolean): Promise<Target[]> {
  const targets: Target[] = [];
  for (const m of await readManifests(filenames, recursive)) {
    const resource = await ctx.discovery.byKind(m.object.apiVersion, m.object.kind);
    if (!resource) throw new CliError(`no matches for kind "${m.object.kind}" in version "${m.object.apiVersion}"`);
    targets.push({ resource, names: [m.object.metadata?.name] });
  }
  return targets;
}
