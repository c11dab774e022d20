// Which pods of a node drain evicts, skips or refuses, as kubectl's drain filters decide. Pure.

export interface DrainFlags {
  force?: boolean;
  ignoreDaemonsets?: boolean;
  deleteEmptydirData?: boolean;
}

export interface DrainPlan {
  evict: any[];
  /** At most one message: `cannot delete <reason>: ns/a, ns/b; <reason>: ...` */
  errors: string[];
  /** At most one message: `ignoring DaemonSet-managed Pods: ns/a; <reason>: ...` */
  warnings: string[];
}

const controllerOf = (pod: any) => (pod.metadata?.ownerReferences ?? []).find((o: any) => o.controller);
const isFinished = (pod: any) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isMirror = (pod: any) => !!pod.metadata?.annotations?.['kubernetes.io/config.mirror'];
const hasEmptyDir = (pod: any) => (pod.spec?.volumes ?? []).some((v: any) => v.emptyDir);

export function drainPlan(pods: any[], flags: DrainFlags): DrainPlan {
  const errors = new Map<string, string[]>();
  const warnings = new Map<string, string[]>();
  const add = (into: Map<string, string[]>, reason: string, pod: any) => into.set(reason, [...(into.get(reason) ?? []), `${pod.metadata.namespace}/${pod.metadata.name}`]);
  const evict: any[] = [];
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue; // already terminating
    if (isMirror(pod)) continue;
    const controller = controllerOf(pod);
    if (controller?.kind === 'DaemonSet') {
      if (flags.ignoreDaemonsets) add(warnings, 'ignoring DaemonSet-managed Pods', pod);
      else add(errors, 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)', pod);
      continue;
    }
    if (!controller && !isFinished(pod)) {
      if (!flags.force) {
        add(errors, 'cannot delete Pods that declare no controller (use --force to override)', pod);
        continue;
      }
      add(warnings, 'deleting Pods that declare no controller', pod);
    }
    if (hasEmptyDir(pod) && !isFinished(pod)) {
      if (!flags.deleteEmptydirData) {
        add(errors, 'cannot delete Pods with local storage (use --delete-emptydir-data to override)', pod);
        continue;
      }
    }
    evict.push(pod);
  }
  const joined = (m: Map<string, string[]>) => [...m].map(([reason, names]) => `${reason}: ${names.join(', ')}`).join('; ');
  // kubectl wraps the (already "cannot delete ..."-phrased) reasons in one more "cannot delete".
  return { evict: errors.size ? [] : evict, errors: errors.size ? [`cannot delete ${joined(errors)}`] : [], warnings: warnings.size ? [joined(warnings)] : [] };
}
