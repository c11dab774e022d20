// `run NAME --image=IMAGE [-- args]`: creates one Pod as kubectl's run generator builds it.
import type { Ctx } from '../context.js';
import { CliError } from '../errors.js';
import { createObject, parseLabels, type CreateFlags } from './create-object.js';

export interface RunFlags extends CreateFlags {
  image?: string;
  port?: string;
  labels?: string;
  env?: string[];
  restart?: string;
  command?: boolean;
  imagePullPolicy?: string;
}

export function podFor(name: string, args: string[], flags: RunFlags): any {
  if (!flags.image) throw new CliError('required flag(s) "image" not set');
  const restart = flags.restart ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CliError(`invalid restart policy: ${restart}`);
  const container: any = { name, image: flags.image };
  if (args.length) container[flags.command ? 'command' : 'args'] = args;
  if (flags.port) container.ports = [{ containerPort: Number(flags.port) }];
  if (flags.env?.length) container.env = flags.env.map((kv) => ({ name: kv.slice(0, kv.indexOf('=')), value: kv.slice(kv.indexOf('=') + 1) }));
  if (flags.imagePullPolicy) container.imagePullPolicy = flags.imagePullPolicy;
  container.resources = {};
  const labels = flags.labels ? parseLabels(flags.labels) : { run: name };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { creationTimestamp: null, name, labels }, spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' }, status: {} };
}

export async function run(ctx: Ctx, args: string[], flags: RunFlags): Promise<number> {
  const [name, ...rest] = args;
  if (!name) throw new CliError('NAME is required for run');
  await createObject(ctx, podFor(name, rest, flags), 'kubectl-run', 'created', flags);
  return 0;
}
