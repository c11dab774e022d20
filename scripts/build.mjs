// Builds the programs in bin/ into bundles under dist/ (fast start: few files to load). Native
// modules stay external and load from node_modules.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Chunk names carry content hashes: drop the previous build's.
rmSync(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await Promise.all([
  // The daemon's entry holds what /readyz needs (store, API server); the cluster components are the
  // entry of the thread it starts once the API server is up (see daemon.ts), so they do not slow the start.
  build({
    ...common,
    entryPoints: { 'mini-kubed': 'packages/daemon/src/index.ts', 'cluster-worker': 'packages/daemon/src/cluster-worker.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    external: ['better-sqlite3', 'etcd3'],
    // Bundled CommonJS dependencies call require(); give ESM one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }),
  // The CLI is CommonJS (Node loads a CJS file faster than an ES module) in two bundles: the small
  // fast path of `get` that bin/mini-kubectl loads first, and the full CLI it loads otherwise.
  build({ ...common, entryPoints: ['packages/cli/src/bin.ts'], outfile: 'dist/mini-kubectl.cjs', format: 'cjs' }),
  build({ ...common, entryPoints: ['packages/cli/src/main.ts'], outfile: 'dist/mini-kubectl-full.cjs', format: 'cjs' }),
]);
