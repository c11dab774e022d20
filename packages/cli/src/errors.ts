// The one place where failures become a line on stderr and an exit code, as kubectl's
// cmdutil.CheckErr phrases them (kubectl-wire.md §13).
import { StatusError, type StatusBody } from '@mini-kube/machinery';

/** A client-side failure: printed as `error: <message>`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** A client-side failure kubectl prints without the `error: ` prefix (e.g. explain's unknown type). */
export class PlainError extends CliError {}

/** Several failures already printed one per line (e.g. `get a b` with both missing); exit 1. */
export class ReportedErrors extends Error {
  constructor(readonly exitCode = 1) {
    super('errors reported');
  }
}

export interface RequestContext {
  verb: string;
  resource?: string;
  name?: string;
}

/** A failed response as a StatusError: the server's Status, or one phrased like client-go's generic errors. */
export function serverError(code: number, body: string, ctx: RequestContext): StatusError {
  let parsed: Partial<StatusBody> | undefined;
  try {
    parsed = JSON.parse(body) as Partial<StatusBody>;
  } catch {
    parsed = undefined;
  }
  if (parsed?.kind === 'Status') return new StatusError(parsed.code || code, parsed.reason ?? 'Unknown', parsed.message ?? '', parsed.details);
  const [reason, message] = genericMessage(code, ctx.verb, body.trim());
  const target = [ctx.verb.toLowerCase(), ctx.resource, ctx.name].filter(Boolean).join(' ');
  return new StatusError(code, reason, `${message} (${target})`, { name: ctx.name, kind: ctx.resource });
}

function genericMessage(code: number, verb: string, text: string): [string, string] {
  switch (code) {
    case 400: return ['BadRequest', 'the server rejected our request for an unknown reason'];
    case 401: return ['Unauthorized', 'the server has asked for the client to provide credentials'];
    case 403: return ['Forbidden', text || 'forbidden'];
    case 404: return ['NotFound', 'the server could not find the requested resource'];
    case 405: return ['MethodNotAllowed', 'the server does not allow this method on the requested resource'];
    case 409: return [verb === 'POST' ? 'AlreadyExists' : 'Conflict', 'the server reported a conflict'];
    case 422: return ['Invalid', 'the server rejected our request due to an error in our request'];
    case 429: return ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'];
    case 503: return ['ServiceUnavailable', 'the server is currently unable to handle the request'];
  }
  if (code >= 500) return ['InternalError', `an error on the server (${JSON.stringify(text)}) has prevented the request from succeeding`];
  return ['Unknown', `the server responded with the status code ${code} but did not return more information`];
}

/** kubectl's AddSourceToErr: `error when creating "f.yaml": <message>`, keeping the reason. */
export function withSource(err: unknown, verb: string, source: string): unknown {
  if (!(err instanceof StatusError) || !source) return err;
  return new StatusError(err.code, err.reason, `error when ${verb} "${source}": ${err.message}`, err.details);
}

/** The text kubectl prints for an error (without trailing newline) and its exit code. */
export function formatError(err: unknown): { text: string; code: number } {
  if (err instanceof ReportedErrors) return { text: '', code: err.exitCode };
  if (err instanceof PlainError) return { text: err.message, code: err.exitCode };
  if (err instanceof CliError) return { text: `error: ${err.message}`, code: err.exitCode };
  if (err instanceof StatusError) return { text: statusText(err), code: 1 };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ECONNREFUSED') return { text: `The connection to the server ${(e as { address?: string }).address ?? 'localhost'}:${(e as { port?: number }).port ?? ''} was refused - did you specify the right host or port?`, code: 1 };
  return { text: `error: ${e?.message ?? String(err)}`, code: 1 };
}

function statusText(err: StatusError): string {
  if (err.reason === 'Unauthorized' || err.code === 401) return `error: You must be logged in to the server (${err.message})`;
  if (err.reason === 'Invalid') return invalidText(err);
  return `Error from server (${err.reason}): ${err.message}`;
}

function invalidText(err: StatusError): string {
  const d = err.details;
  if (!d) return `The request is invalid: ${err.message}`;
  const subject = d.kind || d.name ? `The ${d.kind ?? ''} "${d.name ?? ''}" is invalid` : 'The request is invalid';
  const causes = (d.causes ?? []).map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')));
  if (causes.length === 0) return subject;
  if (causes.length === 1) return `${subject}: ${causes[0]}`;
  return `${subject}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
}

/** Prints an error the kubectl way; returns the exit code. */
export function reportError(err: unknown): number {
  const { text, code } = formatError(err);
  if (text) process.stderr.write(`${text}\n`);
  return code;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof StatusError && err.code === 404;
}
