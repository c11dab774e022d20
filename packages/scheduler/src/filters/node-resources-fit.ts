// NodeResourcesFit: the pod's requests fit in the node's allocatable minus what its pods (bound
// or assumed) request, and one more pod fits in its pod count. All failing resources are reported.
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { unschedulable, type FilterStatus, type Rejection } from '../status.js';

const TOO_MANY_PODS = 1;
const CPU = 2;
const MEMORY = 4;
const EPHEMERAL = 8;
const REASONS: [number, string][] = [
  [TOO_MANY_PODS, 'Too many pods'],
  [CPU, 'Insufficient cpu'],
  [MEMORY, 'Insufficient memory'],
  [EPHEMERAL, 'Insufficient ephemeral-storage'],
];

/** One shared rejection per combination of the built-in resources, so failing allocates nothing. */
const BY_MASK: Rejection[] = Array.from({ length: 16 }, (_, mask) =>
  unschedulable(...REASONS.filter(([bit]) => mask & bit).map(([, reason]) => reason)),
);

export function nodeResourcesFit(pod: PodInfo, node: NodeInfo): FilterStatus {
  let mask = 0;
  if (node.pods.size + 1 > node.allowedPodNumber) mask |= TOO_MANY_PODS;
  const req = pod.requests;
  const used = node.requested;
  const alloc = node.allocatable;
  if (req.milliCPU > 0 && alloc.milliCPU < req.milliCPU + used.milliCPU) mask |= CPU;
  if (req.memory > 0 && alloc.memory < req.memory + used.memory) mask |= MEMORY;
  if (req.ephemeralStorage > 0 && alloc.ephemeralStorage < req.ephemeralStorage + used.ephemeralStorage) mask |= EPHEMERAL;
  let scalarReasons: string[] | undefined;
  if (req.scalar.size > 0) {
    for (const [name, want] of req.scalar) {
      if (want > 0 && (alloc.scalar.get(name) ?? 0) < want + (used.scalar.get(name) ?? 0)) (scalarReasons ??= []).push(`Insufficient ${name}`);
    }
  }
  if (!scalarReasons) return mask === 0 ? null : BY_MASK[mask]!;
  return unschedulable(...BY_MASK[mask]!.reasons, ...scalarReasons);
}
