// `version`: the client's version and the server's /version.
import type { Ctx } from '../context.js';
import { printJson } from '../printers/json.js';
import { toYaml } from '../printers/yaml.js';

const CLIENT = { major: '1', minor: '32', gitVersion: 'v1.32.4-mini', platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}` };

export async function run(ctx: Ctx, _args: string[], opts: { client?: boolean; output?: string }): Promise<number> {
  const server = opts.client ? undefined : await ctx.http.json('GET', '/version', { query: { timeout: '32s' } });
  if (opts.output === 'json' || opts.output === 'yaml') {
    const doc = { clientVersion: CLIENT, ...(server ? { serverVersion: server } : {}) };
    ctx.out(opts.output === 'json' ? printJson(doc) : toYaml(doc));
    return 0;
  }
  ctx.out(`Client Version: ${CLIENT.gitVersion}\n`);
  if (server) ctx.out(`Server Version: ${server.gitVersion}\n`);
  return 0;
}
