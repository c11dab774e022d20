// kubectl's rollout status viewers (polymorphichelpers/rollout_status.go) as pure functions:
// one object in, the line to print and whether the rollout is done (or an error) out.
import { CliError } from '../errors.js';

export interface RolloutStatus {
  message: string;
  done: boolean;
}

const REVISION = 'deployment.kubernetes.io/revision';

export function deploymentStatus(d: any, revision = 0): RolloutStatus {
  const name = d.metadata.name;
  if (revision > 0) {
    const current = Number(d.metadata.annotations?.[REVISION] ?? 0);
    if (revision !== current) throw new CliError(`desired revision (${revision}) is different from the running revision (${current})`);
  }
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
  const progressing = (s.conditions ?? []).find((c: any) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') throw new CliError(`deployment "${name}" exceeded its progress deadline`);
  const replicas = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  if (updated < replicas) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`, done: false };
  if ((s.replicas ?? 0) > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
  if ((s.availableReplicas ?? 0) < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
  return { message: `deployment "${name}" successfully rolled out\n`, done: true };
}

export function daemonSetStatus(ds: any): RolloutStatus {
  const name = ds.metadata.name;
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') throw new CliError('rollout status is only available for RollingUpdate strategy type');
  const s = ds.status ?? {};
  if ((ds.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
  const desired = s.desiredNumberScheduled ?? 0;
  if ((s.updatedNumberScheduled ?? 0) < desired) return { message: `Waiting for daemon set "${name}" rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`, done: false };
  if ((s.numberAvailable ?? 0) < desired) return { message: `Waiting for daemon set "${name}" rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...\n`, done: false };
  return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
}

export function statefulSetStatus(ss: any): RolloutStatus {
  if (ss.spec?.updateStrategy?.type !== 'RollingUpdate') throw new CliError('rollout status is only available for RollingUpdate strategy type');
  const s = ss.status ?? {};
  if (!s.observedGeneration || (ss.metadata.generation ?? 0) > s.observedGeneration) return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
  const replicas = ss.spec?.replicas ?? 1;
  if ((s.readyReplicas ?? 0) < replicas) return { message: `Waiting for ${replicas - (s.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
  const partition = ss.spec.updateStrategy.rollingUpdate?.partition;
  if (partition !== undefined && partition !== null) {
    if ((s.updatedReplicas ?? 0) < replicas - partition) return { message: `Waiting for partitioned roll out to finish: ${s.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...\n`, done: false };
    return { message: `partitioned roll out complete: ${s.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
  }
  if (s.updateRevision !== s.currentRevision) return { message: `waiting for statefulset rolling update to complete ${s.updatedReplicas ?? 0} pods at revision ${s.updateRevision}...\n`, done: false };
  return { message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...\n`, done: true };
}

export function rolloutStatus(kind: string, obj: any, revision = 0): RolloutStatus {
  if (kind === 'Deployment') return deploymentStatus(obj, revision);
  if (kind === 'DaemonSet') return daemonSetStatus(obj);
  if (kind === 'StatefulSet') return statefulSetStatus(obj);
  throw new CliError(`no status viewer has been implemented for ${kind}`);
}

/** Container states that will not heal by waiting: the fail-fast reasons of `rollout status`. */
export const FATAL_REASONS = new Set(['CrashLoopBackOff', 'ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** The first pod container stuck in a fatal state, phrased for the user; undefined when none is. */
export function podFailure(pods: any[]): string | undefined {
  for (const pod of pods) {
    for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const waiting = cs.state?.waiting;
      if (!waiting || !FATAL_REASONS.has(waiting.reason)) continue;
      const last = cs.lastState?.terminated;
      const detail = waiting.message || (last ? `last exit code ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}` : '');
      return `pod "${pod.metadata.name}" container "${cs.name}" is in ${waiting.reason}${detail ? `: ${detail}` : ''}`;
    }
  }
  return undefined;
}
