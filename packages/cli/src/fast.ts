// The fast path of mini-kubectl: `get` printed as a table, with the flags people and scripts use
// most, parsed by hand so that neither commander nor the YAML parser nor any other verb is loaded
// (bin/mini-kubectl loads this bundle first). Anything else answers false and the shim runs the
// full CLI (main.ts), which also refreshes the kubeconfig cache this path reads.
import { cachedConfig, defaultCacheDir } from './config/cache.js';
import type { GlobalFlags } from './config/kubeconfig.js';
import { createContext, type Ctx } from './context.js';
import { reportError } from './errors.js';
import { printTables, type TableGetOptions } from './commands/get-table.js';
import { multipleTypes, resolveTargets } from './targets.js';

export interface FastGet {
  flags: GlobalFlags;
  opts: TableGetOptions;
  args: string[];
}

const VALUE_FLAGS: Record<string, string> = {
  '--kubeconfig': 'kubeconfig',
  '--context': 'context',
  '--cache-dir': 'cacheDir',
  '-n': 'namespace',
  '--namespace': 'namespace',
  '-l': 'selector',
  '--selector': 'selector',
  '--field-selector': 'fieldSelector',
  '-o': 'output',
  '--output': 'output',
  '-L': 'labelColumns',
  '--label-columns': 'labelColumns',
};
const BOOL_FLAGS: Record<string, string> = {
  '-A': 'allNamespaces',
  '--all-namespaces': 'allNamespaces',
  '--show-labels': 'showLabels',
  '--ignore-not-found': 'ignoreNotFound',
};
const GLOBAL = new Set(['kubeconfig', 'context', 'cacheDir', 'namespace']);

/** Parses argv when it is a table `get` this path handles, else undefined. */
export function parseFastGet(argv: string[]): FastGet | undefined {
  const flags: Record<string, string> = {};
  const opts: Record<string, unknown> = {};
  const labelColumns: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    if (name === '--no-headers' && eq < 0) opts.headers = false;
    else if (BOOL_FLAGS[name] && eq < 0) opts[BOOL_FLAGS[name]!] = true;
    else if (VALUE_FLAGS[name]) {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) return undefined;
      const key = VALUE_FLAGS[name]!;
      if (key === 'labelColumns') labelColumns.push(value);
      else if (GLOBAL.has(key)) flags[key] = value;
      else opts[key] = value;
    } else return undefined;
  }
  if (positional[0] !== 'get' || positional.length < 2) return undefined;
  if (opts.output !== undefined && opts.output !== 'wide') return undefined;
  if (labelColumns.length) opts.labelColumns = labelColumns;
  return { flags: flags as GlobalFlags, opts: opts as TableGetOptions, args: positional.slice(1) };
}

class CacheMiss extends Error {}

/** Runs argv if it is a fast `get`; false when the full CLI must run it instead. */
export async function main(argv: string[]): Promise<boolean> {
  const parsed = parseFastGet(argv);
  if (!parsed) return false;
  const cacheDir = defaultCacheDir(parsed.flags.cacheDir);
  let ctx: Ctx | undefined;
  try {
    ctx = createContext(parsed.flags, (file) => {
      const doc = cachedConfig(cacheDir, file);
      if (!doc) throw new CacheMiss();
      return doc;
    });
    const targets = await resolveTargets(ctx, parsed.args);
    process.exitCode = await printTables(ctx, targets, parsed.opts, multipleTypes(parsed.args));
  } catch (err) {
    if (err instanceof CacheMiss) return false;
    process.exitCode = reportError(err);
  } finally {
    ctx?.http.close();
  }
  return true;
}
