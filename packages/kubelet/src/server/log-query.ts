// The query of GET /containerLogs (the same parameters as pods/log), validated.
import type { ContainerLogOptions } from '../types.js';

export class QueryError extends Error {}

const bool = (v: string | null): boolean => v === 'true' || v === '1';

function int(params: URLSearchParams, name: string, min: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new QueryError(`invalid value for ${name}: ${raw}`);
  return n;
}

/** The options of a log request at `now`; sinceSeconds and sinceTime both become a time. */
export function parseLogQuery(params: URLSearchParams, now: number): ContainerLogOptions {
  const sinceSeconds = int(params, 'sinceSeconds', 1);
  const sinceTimeRaw = params.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTimeRaw) throw new QueryError('at most one of sinceTime or sinceSeconds may be specified');
  let sinceTime = sinceSeconds !== undefined ? now - sinceSeconds * 1000 : undefined;
  if (sinceTimeRaw) {
    sinceTime = Date.parse(sinceTimeRaw);
    if (Number.isNaN(sinceTime)) throw new QueryError(`invalid value for sinceTime: ${sinceTimeRaw}`);
  }
  const opts: ContainerLogOptions = {
    follow: bool(params.get('follow')),
    previous: bool(params.get('previous')),
    timestamps: bool(params.get('timestamps')),
  };
  const tailLines = int(params, 'tailLines', 0);
  const limitBytes = int(params, 'limitBytes', 1);
  if (tailLines !== undefined) opts.tailLines = tailLines;
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  if (sinceTime !== undefined) opts.sinceTime = sinceTime;
  return opts;
}
