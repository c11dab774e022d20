// Builds the programs in bin/ into single-file bundles under dist/ (fast start: one file to load).
// Native modules stay external and load from node_modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const entries = {
  'mini-kubed': 'packages/daemon/src/index.ts',
  'mini-kubectl': 'packages/cli/src/main.ts',
};

await Promise.all(
  Object.entries(entries).map(([name, entry]) =>
    build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: `dist/${name}.js`,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      external: ['better-sqlite3', 'etcd3'],
      // Bundled CommonJS dependencies call require(); give ESM one.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      logLevel: 'warning',
    }),
  ),
);
