// Turns a failed HTTP response into a StatusError: the server's own Status when it sent one,
// otherwise a synthesized one phrased as client-go's NewGenericServerResponse phrases it.
import { StatusError, type StatusBody } from '@mini-kube/machinery';

/** What the failed request was about, for synthesized messages like `(get pods nope)`. */
export interface RequestContext {
  verb: string; // HTTP method
  resource?: string; // qualified resource, e.g. `pods`, `deployments.apps`
  name?: string;
}

export function isStatusBody(value: unknown): value is StatusBody {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

export function responseError(statusCode: number, bodyText: string, ctx: RequestContext): StatusError {
  const parsed = tryParse(bodyText);
  if (isStatusBody(parsed)) return StatusError.fromStatus({ ...parsed, code: parsed.code || statusCode });
  return genericError(statusCode, bodyText.trim(), ctx);
}

function genericError(code: number, serverMessage: string, ctx: RequestContext): StatusError {
  const [reason, message] = describe(code, ctx.verb, serverMessage);
  const target = [ctx.verb.toLowerCase(), ctx.resource, ctx.name].filter(Boolean).join(' ');
  return new StatusError(code, reason, `${message} (${target})`, {
    ...(ctx.name ? { name: ctx.name } : {}),
    ...(ctx.resource ? { kind: ctx.resource } : {}),
    causes: serverMessage ? [{ reason: 'UnexpectedServerResponse', message: serverMessage }] : [],
  });
}

function describe(code: number, verb: string, serverMessage: string): [string, string] {
  switch (code) {
    case 400: return ['BadRequest', 'the server rejected our request for an unknown reason'];
    case 401: return ['Unauthorized', 'the server has asked for the client to provide credentials'];
    case 403: return ['Forbidden', serverMessage || 'forbidden'];
    case 404: return ['NotFound', 'the server could not find the requested resource'];
    case 405: return ['MethodNotAllowed', 'the server does not allow this method on the requested resource'];
    case 406: return ['NotAcceptable', serverMessage || 'the server was unable to respond with a content type that the client supports'];
    case 409: return [verb === 'POST' ? 'AlreadyExists' : 'Conflict', 'the server reported a conflict'];
    case 410: return ['Gone', serverMessage || 'the requested resource is no longer available'];
    case 413: return ['RequestEntityTooLarge', serverMessage || 'the request entity is too large'];
    case 415: return ['UnsupportedMediaType', serverMessage || 'the server does not support the media type'];
    case 422: return ['Invalid', 'the server rejected our request due to an error in our request'];
    case 429: return ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'];
    case 503: return ['ServiceUnavailable', 'the server is currently unable to handle the request'];
    case 504: return ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'];
  }
  if (code >= 500) return ['InternalError', `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`];
  return ['Unknown', `the server responded with the status code ${code} but did not return more information`];
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
