// `exec POD|TYPE/NAME [-c C] [-i] [-t] -- CMD ARGS...`: runs a command in a container over the API's
// pods/NAME/exec WebSocket (v5.channel.k8s.io). The remote command's exit code becomes ours.
import type { Ctx } from '../context.js';
import { CliError } from '../errors.js';
import { REMOTECOMMAND_PROTOCOLS } from '@mini-kube/machinery';
import { defaultContainer, streamQuery } from '../streaming/channels.js';
import { openSocket } from '../streaming/connect.js';
import { resolvePod } from '../streaming/pod-target.js';
import { runSession } from '../streaming/session.js';

interface ExecFlags {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
}

const USAGE = "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'mini-kubectl exec -h' for help and examples";

/**
 * How many positional arguments came before `--` (-1: no `--`). Commander drops the dash, so it is
 * found in the process's own arguments: everything after the first `--` is the command.
 */
function argsBeforeDash(args: string[], argv = process.argv): number {
  const dash = argv.indexOf('--');
  return dash < 0 ? -1 : args.length - (argv.length - dash - 1);
}

/** Splits `POD -- CMD...` as kubectl does, with its usage errors. */
export function splitArgs(args: string[], atDash: number): { pod: string; command: string[] } {
  if (args.length === 0 || atDash === 0) throw new CliError('pod, type/name or --filename must be specified');
  if (atDash < 0 && args.length > 1) throw new CliError(USAGE);
  if (atDash > 1) throw new CliError(USAGE);
  const command = args.slice(1);
  if (command.length === 0) throw new CliError('you must specify at least one command for the container');
  return { pod: args[0]!, command };
}

export async function run(ctx: Ctx, args: string[], opts: ExecFlags): Promise<number> {
  const { pod: podArg, command } = splitArgs(args, argsBeforeDash(args));
  const pod = await resolvePod(ctx, podArg);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new CliError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  let container = opts.container;
  if (!container) {
    const chosen = defaultContainer(pod);
    if (chosen.notice && !opts.quiet) ctx.err(chosen.notice);
    container = chosen.name;
  }
  const stdin = Boolean(opts.stdin);
  let tty = Boolean(opts.tty) && stdin;
  if (tty && !process.stdin.isTTY) {
    tty = false;
    if (!opts.quiet) ctx.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  }
  const name = pod.metadata.name as string;
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace ?? ctx.namespace)}/pods/${encodeURIComponent(name)}/exec?${streamQuery({ command, container, stdin, tty })}`;
  const ws = await openSocket(ctx.http.conn, path, REMOTECOMMAND_PROTOCOLS, { resource: 'pods', name });
  const outcome = await runSession(ws, { stdin, tty }, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  if (outcome.kind === 'error') throw new CliError(outcome.message);
  if (outcome.kind === 'exit') {
    ctx.err(`command terminated with exit code ${outcome.code}\n`);
    return outcome.code;
  }
  return 0;
}
