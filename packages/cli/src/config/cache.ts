// Parsed kubeconfig files kept as JSON in the cache directory, keyed by path, size and mtime, so
// that the fast `get` path (fast.ts) need not load a YAML parser: the first run parses and saves.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type ConfigDoc = Record<string, any>;

export function defaultCacheDir(flag?: string): string {
  return flag || join(homedir(), '.kube', 'cache');
}

function entryFile(cacheDir: string, file: string): string {
  return join(cacheDir, 'mini-kubectl', 'kubeconfig', `${file.replace(/[^\w.-]/g, '_')}.json`);
}

const stamp = (file: string): string => {
  const st = statSync(file);
  return `${st.size}:${st.mtimeMs}`;
};

/** The cached parse of `file`, or undefined when there is none or the file changed since. */
export function cachedConfig(cacheDir: string, file: string): ConfigDoc | undefined {
  try {
    const entry = JSON.parse(readFileSync(entryFile(cacheDir, file), 'utf8')) as { stamp: string; doc: ConfigDoc };
    return entry.stamp === stamp(file) ? entry.doc : undefined;
  } catch {
    return undefined;
  }
}

export function saveConfigCache(cacheDir: string, file: string, doc: ConfigDoc): void {
  try {
    mkdirSync(join(cacheDir, 'mini-kubectl', 'kubeconfig'), { recursive: true });
    writeFileSync(entryFile(cacheDir, file), JSON.stringify({ stamp: stamp(file), doc }), { mode: 0o600 });
  } catch {
    // an unwritable cache only costs speed
  }
}
