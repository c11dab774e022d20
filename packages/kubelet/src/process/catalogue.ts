// The image catalogue of the process runtime: there is no container engine, so an image reference
// resolves to how its container runs on this machine — host shell tools, the host's node or
// python3, a built-in web server, or a command the user mapped in `<data-dir>/images.yaml`.
// Kubernetes' rule applies: `command` replaces the image's entrypoint, `args` its default arguments.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** The modes of the built-in web server (web-server.ts). */
export type BuiltinServer = 'nginx' | 'httpd' | 'http-echo' | 'echoserver';

export type Launch =
  | { kind: 'exec'; argv: string[]; workingDir?: string; env?: Record<string, string> }
  | { kind: 'builtin'; server: BuiltinServer; port: number; docRoot?: string; text?: string };

export interface UserImage {
  command: string[];
  args?: string[];
  workingDir?: string;
  env?: Record<string, string>;
}

export class ImageResolveError extends Error {
  readonly reason = 'ErrImagePull';
}

/** `docker.io/library/nginx:1.25@sha256:..` → `{ repo: 'nginx', tag: '1.25' }`: the registry, `library/`, digest dropped. */
export function parseImageRef(image: string): { repo: string; tag: string } {
  let rest = image.split('@')[0]!;
  const parts = rest.split('/');
  // A first component with a dot or a port, or `localhost`, is a registry host (docker's rule).
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library' && parts.length > 1) parts.shift();
  rest = parts.join('/');
  const colon = rest.lastIndexOf(':');
  return colon > 0 ? { repo: rest.slice(0, colon), tag: rest.slice(colon + 1) } : { repo: rest, tag: 'latest' };
}

const SHELL_IMAGES = new Set(['busybox', 'alpine', 'debian', 'ubuntu']);

function builtinOf(repo: string): BuiltinServer | undefined {
  const base = repo.split('/').at(-1)!;
  if (base === 'nginx' || base === 'nginx-unprivileged') return 'nginx';
  if (base === 'httpd') return 'httpd';
  if (base === 'http-echo') return 'http-echo';
  if (base === 'echoserver' || base === 'agnhost') return 'echoserver';
  return undefined;
}

const DOC_ROOTS: Partial<Record<BuiltinServer, string>> = { nginx: '/usr/share/nginx/html', httpd: '/usr/local/apache2/htdocs' };
const DEFAULT_PORTS: Record<BuiltinServer, number> = { nginx: 80, httpd: 80, 'http-echo': 5678, echoserver: 8080 };
/** Commands that mean "run the image's own server", so the built-in one stands in. */
const SERVER_COMMANDS = new Set(['nginx', 'httpd', 'httpd-foreground', '/docker-entrypoint.sh', '/http-echo', 'http-echo', '/echo-server']);

export interface ContainerCommand {
  image: string;
  command?: string[];
  args?: string[];
  /** The first containerPort, where a built-in server listens instead of its default. */
  port?: number;
}

/** http-echo's flags: `-text=hi`, `-text hi`, `--listen=:8080`. */
export function httpEchoFlags(args: readonly string[]): { text?: string; port?: number } {
  const out: { text?: string; port?: number } = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--?(text|listen)(?:=(.*))?$/s.exec(args[i]!);
    if (!m) continue;
    const value = m[2] ?? args[++i] ?? '';
    if (m[1] === 'text') out.text = value;
    else out.port = Number(value.slice(value.lastIndexOf(':') + 1)) || undefined;
  }
  return out;
}

/**
 * How a container runs. `userImages` is keyed by `name:tag` as written in the pod or normalized
 * (`myapp:v1`); throws ImageResolveError when nothing says what to run.
 */
export function resolveImage(c: ContainerCommand, userImages: ReadonlyMap<string, UserImage>, imagesFile: string): Launch {
  const { repo, tag } = parseImageRef(c.image);
  const user = userImages.get(c.image) ?? userImages.get(`${repo}:${tag}`);
  if (user) {
    return { kind: 'exec', argv: [...(c.command ?? user.command), ...(c.args ?? (c.command ? [] : (user.args ?? [])))], workingDir: user.workingDir, env: user.env };
  }
  const base = repo.split('/').at(-1)!;
  const server = builtinOf(repo);
  if (server && !(c.command?.length && !SERVER_COMMANDS.has(c.command[0]!))) {
    const flags = server === 'http-echo' ? httpEchoFlags(c.args ?? []) : {};
    return { kind: 'builtin', server, port: flags.port ?? c.port ?? DEFAULT_PORTS[server], docRoot: DOC_ROOTS[server], text: flags.text };
  }
  if (c.command?.length) return { kind: 'exec', argv: [...c.command, ...(c.args ?? [])] };
  if (SHELL_IMAGES.has(repo)) return { kind: 'exec', argv: c.args?.length ? [...c.args] : ['sh'] };
  if (base === 'pause') return { kind: 'exec', argv: ['sleep', 'infinity'] };
  if (repo === 'node') return { kind: 'exec', argv: ['node', ...(c.args ?? [])] };
  if (repo === 'python') return { kind: 'exec', argv: c.args?.length ? [...c.args] : ['python3'] };
  throw new ImageResolveError(
    `image "${c.image}" is not known to the process runtime: map "${repo}:${tag}" to a command in ${imagesFile} ` +
      `(e.g. "${repo}:${tag}": {command: [./server], workingDir: /path/to/app}) or give the container a command`,
  );
}

/** The host program for a container's argv[0]: `node` is this node, `python` is python3. */
export function hostProgram(argv0: string, nodePath: string): string {
  if (argv0 === 'node' || argv0 === 'nodejs') return nodePath;
  if (argv0 === 'python') return 'python3';
  return argv0;
}

/** Reads `images.yaml` (`name:tag: {command, args, workingDir, env}`); a missing file is an empty catalogue. */
export function loadUserImages(file: string): Map<string, UserImage> {
  if (!existsSync(file)) return new Map();
  const parsed = parseYaml(readFileSync(file, 'utf8')) as Record<string, Partial<UserImage>> | null;
  const images = new Map<string, UserImage>();
  for (const [name, entry] of Object.entries(parsed ?? {})) {
    if (!entry || !Array.isArray(entry.command) || entry.command.length === 0) throw new Error(`${file}: image "${name}" needs a command (a list)`);
    images.set(name, { command: entry.command.map(String), args: entry.args?.map(String), workingDir: entry.workingDir, env: entry.env });
  }
  return images;
}
