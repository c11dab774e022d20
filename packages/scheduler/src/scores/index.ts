// The score plugins with kube-scheduler's default weights.
import { balancedAllocation } from './balanced-allocation.js';
import { leastAllocated } from './least-allocated.js';
import { preferredNodeAffinity } from './node-affinity.js';
import { ownerSpread } from './owner-spread.js';
import type { ScorePlugin } from './plugin.js';
import { taintToleration } from './taint-toleration.js';

export const SCORE_PLUGINS: readonly ScorePlugin[] = [taintToleration, preferredNodeAffinity, leastAllocated, ownerSpread, balancedAllocation];

export type { ScorePlugin } from './plugin.js';
export { defaultNormalize } from './plugin.js';
export { balancedAllocationScore } from './balanced-allocation.js';
export { leastAllocatedScore } from './least-allocated.js';
export { preferredAffinityScore } from './node-affinity.js';
export { normalizeSpread, ownerSpreadRows, ownerSpreadScore } from './owner-spread.js';
export { intolerablePreferNoScheduleCount } from './taint-toleration.js';
