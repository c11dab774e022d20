// Reads a kubeconfig file with the YAML parser (and refreshes its JSON cache when given a cache dir).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { saveConfigCache, type ConfigDoc } from './cache.js';

export function readConfigFile(file: string, cacheDir?: string): ConfigDoc {
  const doc = (parse(readFileSync(file, 'utf8')) ?? {}) as ConfigDoc;
  if (cacheDir) saveConfigCache(cacheDir, file, doc);
  return doc;
}
