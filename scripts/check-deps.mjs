// Checks DESIGN.md's package table: each package imports only the packages it may, so arrows
// point one way. Run by `npm test` (scripts/check-deps.test.ts) and on its own: `npm run check:deps`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ALLOWED = {
  api: [],
  machinery: ['api'],
  store: [],
  apiserver: ['api', 'machinery', 'store'],
  client: ['api', 'machinery'],
  runtime: ['api', 'machinery', 'client'],
  controllers: ['api', 'machinery', 'client', 'runtime'],
  scheduler: ['api', 'machinery', 'client', 'runtime'],
  kubelet: ['api', 'machinery', 'client', 'runtime'],
  proxy: ['api', 'machinery', 'client', 'runtime'],
  cli: ['api', 'machinery', 'client'],
  daemon: ['api', 'machinery', 'store', 'apiserver', 'client', 'runtime', 'controllers', 'scheduler', 'kubelet', 'proxy'],
  testing: null, // dev-only fixtures may import anything
};

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]@mini-kube\/([\w-]+)['"]|import\(\s*['"]@mini-kube\/([\w-]+)['"]\s*\)/g;

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) yield path;
  }
}

/** Returns one message per forbidden import (source files only; tests may use test fixtures). */
export function findViolations(root) {
  const violations = [];
  const packagesDir = join(root, 'packages');
  for (const pkg of readdirSync(packagesDir)) {
    const src = join(packagesDir, pkg, 'src');
    try {
      statSync(src);
    } catch {
      continue;
    }
    if (!(pkg in ALLOWED)) {
      violations.push(`packages/${pkg} is not in the package table (scripts/check-deps.mjs, DESIGN.md)`);
      continue;
    }
    const allowed = ALLOWED[pkg];
    if (allowed === null) continue;
    for (const file of sourceFiles(src)) {
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = m[1] ?? m[2];
        if (target !== pkg && !allowed.includes(target)) {
          violations.push(`${relative(root, file)} imports @mini-kube/${target}, which ${pkg} may not import`);
        }
      }
    }
  }
  return violations;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const violations = findViolations(fileURLToPath(new URL('..', import.meta.url)));
  for (const v of violations) console.error(v);
  console.log(violations.length ? `${violations.length} dependency violation(s)` : 'package dependencies follow DESIGN.md');
  process.exit(violations.length ? 1 : 0);
}
