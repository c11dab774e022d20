// The client's side of the remotecommand channel protocol (channels and framing in machinery's
// remotecommand.ts). Pure helpers: the exec/attach query, and what the final Status on the error
// channel means for the exit code.

import { channelFrame, RESIZE } from '@mini-kube/machinery';

export { CLOSE, ERROR, RESIZE, STDERR, STDIN, STDOUT } from '@mini-kube/machinery';

/** A terminal size message for the resize channel. */
export const resizeFrame = (width: number, height: number): Buffer => channelFrame(RESIZE, JSON.stringify({ Width: width, Height: height }));

export interface StreamQuery {
  command?: string[]; // exec only
  container: string;
  stdin: boolean;
  tty: boolean;
}

/** The query of pods/{name}/exec or /attach as kubectl encodes it (keys sorted, false flags left out). */
export function streamQuery(q: StreamQuery): string {
  const params = new URLSearchParams();
  for (const c of q.command ?? []) params.append('command', c);
  params.append('container', q.container);
  if (!q.tty) params.append('stderr', 'true');
  if (q.stdin) params.append('stdin', 'true');
  params.append('stdout', 'true');
  if (q.tty) params.append('tty', 'true');
  return params.toString();
}

/** What the session's final Status says: exit 0, the remote command's exit code, or an error message. */
export type Outcome = { kind: 'success' } | { kind: 'exit'; code: number } | { kind: 'error'; message: string };

export function outcomeOf(statusJson: string | undefined): Outcome {
  if (statusJson === undefined) return { kind: 'success' }; // closed without a Status: nothing failed
  let status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(statusJson);
  } catch {
    return { kind: 'error', message: `error stream protocol error: ${statusJson}` };
  }
  if (status.status === 'Success') return { kind: 'success' };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (cause && Number.isInteger(code)) return { kind: 'exit', code };
    return { kind: 'error', message: `error stream protocol error: invalid exit code value ${JSON.stringify(cause?.message ?? '')}` };
  }
  return { kind: 'error', message: status.message ?? 'error executing remote command' };
}

interface PodLike {
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
}

/** Every container name as kubectl lists them in its "Defaulted container" notice. */
export function allContainerNames(pod: PodLike): string {
  const s = pod.spec ?? {};
  return [...(s.initContainers ?? []).map((c) => `${c.name} (init)`), ...(s.containers ?? []).map((c) => c.name), ...(s.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`)].join(', ');
}

/**
 * The container kubectl picks when -c is absent: the default-container annotation when it names a
 * container, else the first, with a notice when the pod has others to choose from.
 */
export function defaultContainer(pod: PodLike): { name: string; notice?: string } {
  const containers = pod.spec?.containers ?? [];
  if (containers.length === 0) throw new Error(`pod ${pod.metadata?.name ?? ''} does not have any containers`);
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && containers.some((c) => c.name === annotated)) return { name: annotated };
  const name = containers[0]!.name;
  const others = containers.length > 1 || (pod.spec?.initContainers?.length ?? 0) > 0 || (pod.spec?.ephemeralContainers?.length ?? 0) > 0;
  return others ? { name, notice: `Defaulted container "${name}" out of: ${allContainerNames(pod)}\n` } : { name };
}
