// The entry of dist/mini-kubectl.cjs: the fast `get` path (fast.ts) in a small bundle, and the
// full CLI (main.ts, dist/mini-kubectl-full.cjs) loaded from beside it only when needed.
// CommonJS globals: this file is only ever run as that CommonJS bundle.
import { join } from 'node:path';
import { main as fastMain } from './fast.js';

export async function main(argv: string[]): Promise<void> {
  if (await fastMain(argv)) return;
  const full = require(join(__dirname, 'mini-kubectl-full.cjs')) as { main(argv: string[]): Promise<void> };
  await full.main(argv);
}

if (require.main === module) void main(process.argv.slice(2));
