// podFailurePolicy (pod_failure_policy.go): the first rule matching a failed pod decides whether
// the failure fails the whole Job, is ignored, or counts toward backoffLimit as usual.
import type { PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement } from 'kubernetes-types/batch/v1';
import type { ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';

export interface PolicyMatch {
  /** Set when the Job must fail (action FailJob). */
  failJobMessage?: string;
  /** Whether the failure counts toward backoffLimit. */
  countFailed: boolean;
  /** The matching rule's action, if a rule matched. */
  action?: string;
}

export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PolicyMatch {
  if (!policy) return { countFailed: true };
  const who = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    let what: string | undefined;
    if (rule.onExitCodes) {
      const c = matchOnExitCodes(pod, rule.onExitCodes);
      if (c) what = `Container ${c.name} for pod ${who} failed with exit code ${c.state!.terminated!.exitCode}`;
    } else if (rule.onPodConditions) {
      const cond = matchOnPodConditions(pod.status?.conditions ?? [], rule.onPodConditions);
      if (cond) what = `Pod ${who} has condition ${cond.type}`;
    }
    if (what === undefined) continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: rule.action };
      case 'FailJob':
        return { failJobMessage: `${what} matching ${rule.action} rule at index ${index}`, countFailed: true, action: rule.action };
      default: // Count, and FailIndex (per-index back-off is not implemented: counted as usual)
        return { countFailed: true, action: rule.action };
    }
  }
  return { countFailed: true };
}

/** A container (app containers first, then init containers) that exited non-zero as the requirement says. */
function matchOnExitCodes(pod: Pod, req: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  const matching = (statuses: readonly ContainerStatus[] | undefined): ContainerStatus | undefined =>
    statuses?.find((s) => {
      if (req.containerName && req.containerName !== s.name) return false;
      const code = s.state?.terminated?.exitCode;
      if (code === undefined || code === 0) return false;
      return req.values.includes(code) === (req.operator === 'In');
    });
  return matching(pod.status?.containerStatuses) ?? matching(pod.status?.initContainerStatuses);
}

function matchOnPodConditions(conditions: readonly PodCondition[], patterns: readonly { type: string; status?: string }[]): PodCondition | undefined {
  for (const pattern of patterns) {
    const found = conditions.find((c) => c.type === pattern.type && c.status === (pattern.status ?? 'True'));
    if (found) return found;
  }
  return undefined;
}
