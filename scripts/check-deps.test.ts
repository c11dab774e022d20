import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module without types
import { findViolations } from './check-deps.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));

describe('package dependency direction (DESIGN.md)', () => {
  it('holds for the repository', () => {
    expect(findViolations(repo)).toEqual([]);
  });

  it('reports an import against the arrows', () => {
    const root = mkdtempSync(join(tmpdir(), 'deps-'));
    mkdirSync(join(root, 'packages/store/src'), { recursive: true });
    writeFileSync(join(root, 'packages/store/src/bad.ts'), "import { RESOURCES } from '@mini-kube/api';\n");
    mkdirSync(join(root, 'packages/api/src'), { recursive: true });
    writeFileSync(join(root, 'packages/api/src/ok.ts'), 'export const x = 1;\n');
    expect(findViolations(root)).toEqual(['packages/store/src/bad.ts imports @mini-kube/api, which store may not import']);
  });
});
