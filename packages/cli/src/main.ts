// mini-kubectl's entry point: parses arguments with commander and loads only the verb it runs.
// The only place that sets the exit code.
import { Command, CommanderError, Option } from 'commander';
import { reportError } from './errors.js';
import { defaultCacheDir } from './config/cache.js';
import type { GlobalFlags } from './config/kubeconfig.js';
import type { Ctx } from './context.js';

/** A verb module: `run` gets the context, positional arguments and the verb's options. */
export interface VerbModule {
  run(ctx: Ctx, args: string[], opts: Record<string, any>): Promise<number | void>;
}

type OptionSpec = [flags: string, description: string, defaultValue?: unknown];

interface VerbSpec {
  name: string;
  summary: string;
  options?: OptionSpec[];
  /** Verbs like `config` work without a server connection. */
  offline?: boolean;
  load(): Promise<VerbModule>;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
const REPEATABLE = new Set(['--filename', '--label-columns', '--env', '--selector-list']);

const OUTPUT: OptionSpec = ['-o, --output <format>', 'json|yaml|name|wide|jsonpath=...|jsonpath-file=...|custom-columns=...'];
const SELECTOR: OptionSpec = ['-l, --selector <selector>', 'label selector'];
const ALL_NS: OptionSpec = ['-A, --all-namespaces', 'across all namespaces'];
const FILE: OptionSpec = ['-f, --filename <file>', 'files, directories or - for stdin'];
const RECURSIVE: OptionSpec = ['-R, --recursive', 'process directories recursively'];
const DRY_RUN: OptionSpec = ['--dry-run <mode>', 'none|client|server'];
const FIELD_MANAGER: OptionSpec = ['--field-manager <name>', 'field manager name'];
const ALL: OptionSpec = ['--all', 'every object of the type'];
const OVERWRITE: OptionSpec = ['--overwrite', 'overwrite existing values'];
const TIMEOUT: OptionSpec = ['--timeout <duration>', 'how long to wait'];

const VERBS: VerbSpec[] = [
  { name: 'get', summary: 'Display one or many resources', load: () => import('./commands/get.js'), options: [OUTPUT, SELECTOR, ALL_NS, FILE, RECURSIVE, ['--field-selector <selector>', 'field selector'], ['-w, --watch', 'watch for changes'], ['--watch-only', 'watch only'], ['--output-watch-events', 'print event types'], ['--show-labels', 'show labels'], ['-L, --label-columns <label>', 'label columns'], ['--no-headers', 'no headers'], ['--sort-by <jsonpath>', 'sort by'], ['--ignore-not-found', 'ignore not found'], ['--show-kind', 'show kind'], ['--chunk-size <n>', 'page size', '500']] },
  { name: 'apply', summary: 'Apply a configuration to a resource by file name or stdin', load: () => import('./commands/apply.js'), options: [FILE, RECURSIVE, OUTPUT, DRY_RUN, FIELD_MANAGER, ['--server-side', 'server-side apply'], ['--force-conflicts', 'force SSA conflicts'], ['--validate <mode>', 'validation', 'strict'], SELECTOR, ALL, ['--prune', 'prune']] },
  { name: 'create', summary: 'Create a resource from a file or from stdin', load: () => import('./commands/create.js'), options: [FILE, RECURSIVE, OUTPUT, DRY_RUN, FIELD_MANAGER, ['--image <image>', 'image', undefined], ['--replicas <n>', 'replicas'], ['--port <port>', 'port'], ['--from-literal <kv>', 'literal'], ['--from-file <file>', 'file'], ['--tcp <spec>', 'ports'], ['--validate <mode>', 'validation', 'strict'], ['--save-config', 'save last-applied']] },
  { name: 'replace', summary: 'Replace a resource by file name or stdin', load: () => import('./commands/replace.js'), options: [FILE, RECURSIVE, OUTPUT, DRY_RUN, ['--force', 'delete and re-create'], ['--validate <mode>', 'validation', 'strict']] },
  { name: 'delete', summary: 'Delete resources', load: () => import('./commands/delete.js'), options: [FILE, RECURSIVE, SELECTOR, ALL_NS, ALL, OUTPUT, DRY_RUN, ['--cascade <mode>', 'background|foreground|orphan', 'background'], ['--grace-period <n>', 'grace period', '-1'], ['--force', 'immediate deletion'], ['--now', 'grace period 1'], ['--wait <bool>', 'wait for deletion', 'true'], ['--ignore-not-found', 'ignore not found'], ['--field-selector <selector>', 'field selector'], TIMEOUT] },
  { name: 'scale', summary: 'Set a new size for a deployment, replica set, or stateful set', load: () => import('./commands/scale.js'), options: [['--replicas <n>', 'replicas'], ['--current-replicas <n>', 'precondition', '-1'], FILE, SELECTOR, ALL, TIMEOUT, DRY_RUN] },
  { name: 'label', summary: 'Update the labels on a resource', load: () => import('./commands/label.js'), options: [OVERWRITE, SELECTOR, ALL, FILE, OUTPUT, DRY_RUN, ['--list', 'list labels'], ['--resource-version <rv>', 'precondition']] },
  { name: 'annotate', summary: 'Update the annotations on a resource', load: () => import('./commands/label.js'), options: [OVERWRITE, SELECTOR, ALL, FILE, OUTPUT, DRY_RUN, ['--list', 'list annotations'], ['--resource-version <rv>', 'precondition']] },
  { name: 'patch', summary: 'Update fields of a resource', load: () => import('./commands/patch.js'), options: [['-p, --patch <patch>', 'the patch'], ['--patch-file <file>', 'patch file'], ['--type <type>', 'json|merge|strategic', 'strategic'], ['--subresource <name>', 'subresource'], FILE, OUTPUT, DRY_RUN, FIELD_MANAGER] },
  { name: 'wait', summary: 'Experimental: Wait for a specific condition on one or many resources', load: () => import('./commands/wait.js'), options: [['--for <condition>', 'condition'], ['--timeout <duration>', 'timeout', '30s'], SELECTOR, ALL, FILE, ALL_NS, ['--field-selector <selector>', 'field selector'], OUTPUT] },
  { name: 'describe', summary: 'Show details of a specific resource or group of resources', load: () => import('./commands/describe.js'), options: [SELECTOR, ALL_NS, FILE, RECURSIVE, ['--show-events <bool>', 'show events', 'true'], ['--chunk-size <n>', 'page size', '500']] },
  { name: 'rollout', summary: 'Manage the rollout of a resource', load: () => import('./commands/rollout.js'), options: [['--revision <n>', 'revision'], ['--to-revision <n>', 'revision to roll back to'], TIMEOUT, ['-w, --watch <bool>', 'watch the status', 'true'], ['--wait-on-errors', 'keep waiting when new pods crash-loop or cannot pull their image'], ['--diff', 'history: show what changed between revisions'], FILE, SELECTOR] },
  { name: 'logs', summary: 'Print the logs for a container in a pod', load: () => import('./commands/logs.js'), options: [['-f, --follow', 'stream the logs'], ['-c, --container <name>', 'container'], ['--all-containers', 'all containers'], ['--prefix', 'prefix each line with the source'], ['--tail <n>', 'lines of recent log', undefined], ['--since <duration>', 'only newer logs'], ['--since-time <time>', 'only logs after this RFC3339 time'], ['--timestamps', 'include timestamps'], ['-p, --previous', 'the previous container instance'], ['--limit-bytes <n>', 'maximum bytes'], SELECTOR, ['--max-log-requests <n>', 'concurrent streams with -l -f', '5']] },
  { name: 'exec', summary: 'Execute a command in a container', load: () => import('./commands/exec.js'), options: [['-c, --container <name>', 'container name (default: the default-container annotation, else the first)'], ['-i, --stdin', 'pass stdin to the container'], ['-t, --tty', 'stdin is a TTY'], ['-q, --quiet', 'only print output from the remote session'], ['--pod-running-timeout <duration>', 'accepted, not enforced', '1m0s']] },
  { name: 'port-forward', summary: 'Forward one or more local ports to a pod', load: () => import('./commands/port-forward.js'), options: [['--address <addresses>', 'addresses to listen on (comma separated)', 'localhost'], ['--pod-running-timeout <duration>', 'accepted, not enforced', '1m0s']] },
  { name: 'version', summary: 'Print the client and server version information', load: () => import('./commands/version.js'), options: [['--client', 'client only'], OUTPUT] },
  { name: 'api-resources', summary: 'Print the supported API resources on the server', load: () => import('./commands/api-resources.js'), options: [OUTPUT, ['--namespaced <bool>', 'namespaced'], ['--api-group <group>', 'group'], ['--no-headers', 'no headers'], ['--verbs <verbs>', 'verbs'], ['--sort-by <field>', 'name|kind']] },
  { name: 'api-versions', summary: 'Print the supported API versions on the server', load: () => import('./commands/api-resources.js') },
  { name: 'cluster-info', summary: 'Display cluster information', load: () => import('./commands/cluster-info.js') },
  { name: 'events', summary: 'List events', load: () => import('./commands/events.js'), options: [ALL_NS, ['--for <kind/name>', 'only events about this object'], ['--types <types>', 'Normal,Warning'], ['-w, --watch', 'watch for new events'], OUTPUT, ['--no-headers', 'no headers']] },
  { name: 'run', summary: 'Run a particular image on the cluster', load: () => import('./commands/run.js'), options: [['--image <image>', 'image'], ['--port <port>', 'container port'], ['-l, --labels <labels>', 'labels'], ['--env <kv>', 'environment variables'], ['--restart <policy>', 'Always|OnFailure|Never'], ['--command', 'args are the command'], ['--image-pull-policy <policy>', 'pull policy'], DRY_RUN, OUTPUT] },
  { name: 'expose', summary: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service', load: () => import('./commands/expose.js'), options: [['--port <port>', 'service port'], ['--target-port <port>', 'container port'], ['--type <type>', 'ClusterIP|NodePort|LoadBalancer'], ['--name <name>', 'service name'], ['--protocol <protocol>', 'TCP|UDP|SCTP'], ['--selector <selector>', 'pod selector'], ['-l, --labels <labels>', 'service labels'], DRY_RUN, OUTPUT] },
  { name: 'autoscale', summary: 'Auto-scale a deployment, replica set, stateful set, or replication controller', load: () => import('./commands/autoscale.js'), options: [['--min <n>', 'lower limit'], ['--max <n>', 'upper limit'], ['--cpu-percent <n>', 'target CPU utilization'], ['--name <name>', 'autoscaler name'], DRY_RUN, OUTPUT] },
  { name: 'set', summary: 'Set specific features on objects', load: () => import('./commands/set.js'), options: [['-c, --containers <name>', 'containers to change'], ['--limits <list>', 'cpu=200m,memory=512Mi'], ['--requests <list>', 'cpu=100m,memory=256Mi'], SELECTOR, ALL, OUTPUT, DRY_RUN] },
  { name: 'edit', summary: 'Edit a resource on the server', load: () => import('./commands/edit.js'), options: [OUTPUT] },
  { name: 'diff', summary: 'Diff the live version against a would-be applied version', load: () => import('./commands/diff.js'), options: [FILE, RECURSIVE, ['--server-side', 'server-side apply'], FIELD_MANAGER, ['--force-conflicts', 'force SSA conflicts']] },
  { name: 'explain', summary: 'Get documentation for a resource', load: () => import('./commands/explain.js'), options: [['--api-version <gv>', 'group/version'], ['--recursive', 'accepted, not supported']] },
  { name: 'top', summary: 'Display resource (CPU/memory) usage', load: () => import('./commands/top.js'), options: [ALL_NS, SELECTOR, ['--containers', 'per container'], ['--no-headers', 'no headers'], ['--sort-by <field>', 'cpu|memory']] },
  { name: 'cordon', summary: 'Mark node as unschedulable', load: () => import('./commands/cordon.js'), options: [SELECTOR, DRY_RUN] },
  { name: 'uncordon', summary: 'Mark node as schedulable', load: () => import('./commands/cordon.js'), options: [SELECTOR, DRY_RUN] },
  { name: 'drain', summary: 'Drain node in preparation for maintenance', load: () => import('./commands/cordon.js'), options: [SELECTOR, DRY_RUN, ['--force', 'also pods without a controller'], ['--ignore-daemonsets', 'skip DaemonSet pods'], ['--delete-emptydir-data', 'also pods with emptyDir volumes'], ['--timeout <duration>', 'give up after', '0s'], ['--grace-period <n>', 'pod grace period', '-1'], ['--disable-eviction', 'delete instead of evict']] },
  { name: 'taint', summary: 'Update the taints on one or more nodes', load: () => import('./commands/taint.js'), options: [OVERWRITE, SELECTOR, ALL] },
  { name: 'completion', summary: 'Output shell completion code for the specified shell (bash or zsh)', offline: true, load: () => import('./commands/completion.js') },
  { name: 'config', summary: 'Modify kubeconfig files', offline: true, load: () => import('./commands/config.js'), options: [['--current', 'the current context'], ['--namespace <ns>', 'namespace'], ['--cluster <name>', 'cluster'], ['--user <name>', 'user'], ['--minify', 'only the current context'], ['--raw', 'show secrets'], OUTPUT, ['--no-headers', 'no headers']] },
];

const GLOBAL_OPTIONS: OptionSpec[] = [
  ['--kubeconfig <path>', 'path to the kubeconfig file'],
  ['--context <name>', 'the kubeconfig context to use'],
  ['--cluster <name>', 'the kubeconfig cluster to use'],
  ['--user <name>', 'the kubeconfig user to use'],
  ['-n, --namespace <namespace>', 'the namespace scope for this request'],
  ['-s, --server <address>', 'the address and port of the Kubernetes API server'],
  ['--token <token>', 'bearer token for authentication'],
  ['--insecure-skip-tls-verify', 'skip server certificate verification'],
  ['--certificate-authority <path>', 'path to a CA file'],
  ['--client-certificate <path>', 'path to a client certificate file'],
  ['--client-key <path>', 'path to a client key file'],
  ['--cache-dir <dir>', 'default cache directory'],
  ['--request-timeout <duration>', 'request timeout (accepted, not enforced)'],
  ['-v, --v <level>', 'log level (accepted, ignored)'],
];

function addOption(cmd: Command, [flags, description, def]: OptionSpec): void {
  const opt = new Option(flags, description);
  const long = flags.split(/[ ,]+/).find((f) => f.startsWith('--'))!;
  if (REPEATABLE.has(long)) opt.argParser(collect);
  if (def !== undefined) opt.default(def);
  cmd.addOption(opt);
}

function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('mini-kubectl').description('mini-kubectl controls a Kubernetes cluster (mini-kube or any other).');
  program.exitOverride().configureOutput({ outputError: (text, write) => write(text.replace(/^error: unknown option/, 'error: unknown flag')) });
  for (const spec of GLOBAL_OPTIONS) addOption(program, spec);
  for (const verb of VERBS) {
    const cmd = program.command(verb.name).description(verb.summary).argument('[args...]').allowExcessArguments(true);
    cmd.exitOverride();
    for (const spec of verb.options ?? []) addOption(cmd, spec);
    cmd.action(async (args: string[], _opts: Record<string, unknown>, self: Command) => {
      const globals = program.opts() as GlobalFlags & Record<string, unknown>;
      const opts = self.opts();
      // -n is both global and a verb option for `config set-context`; the verb's own wins there.
      const flags: GlobalFlags = { ...globals, namespace: (globals.namespace as string | undefined) ?? (verb.offline ? undefined : (opts.namespace as string | undefined)) };
      const mod = await verb.load();
      const { createContext } = await import('./context.js');
      const { readConfigFile } = await import('./config/read.js');
      const cacheDir = defaultCacheDir(flags.cacheDir);
      const ctx = verb.offline ? ({ flags, out: (t: string) => void process.stdout.write(t), err: (t: string) => void process.stderr.write(t) } as unknown as Ctx) : createContext(flags, (f) => readConfigFile(f, cacheDir));
      try {
        const extra = verb.name === 'completion' ? { verbs: VERBS.map((v) => v.name) } : {};
        setCode((await mod.run(ctx, args, { ...opts, ...extra, verb: verb.name, namespace: opts.namespace ?? globals.namespace })) ?? 0);
      } finally {
        ctx.http?.close();
      }
    });
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    if (argv.length === 0) {
      program.outputHelp();
    } else {
      await program.parseAsync(argv, { from: 'user' });
    }
  } catch (err) {
    if (err instanceof CommanderError) {
      code = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 1;
    } else {
      code = reportError(err);
    }
  }
  process.exitCode = code;
}
