import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackDir } from './cleanup.js';

/** A fresh directory under the OS temp dir, removed when the test process exits. */
export function makeTempDir(prefix = 'mini-kube-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  trackDir(dir);
  return dir;
}
