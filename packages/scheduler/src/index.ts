// The scheduler: a scheduling queue, pure filter and score plugins, and a binder.
export { startScheduler, type SchedulerOptions } from './scheduler.js';
export { Algorithm, numFeasibleNodesToFind, selectBest, type AlgorithmOptions, type ScheduleResult } from './algorithm.js';
export { SchedulerCache } from './cache.js';
export { SchedulingQueue, type QueueOptions, type QueuedPod } from './queue.js';
export { NodeInfo } from './node-info.js';
export { NodeTable } from './node-table.js';
export { newPodInfo, podKey, type PodInfo } from './pod-info.js';
export { podRequests, fromResourceList, type Resources } from './resources.js';
export { fitErrorMessage, NO_NODES_MESSAGE } from './fit-error.js';
export { needsScheduling, isAssigned, isTerminal, nodeSchedulingChanged, podUpdateMatters, unschedulablePatch, DEFAULT_SCHEDULER_NAME } from './pod-state.js';
export { FILTERS, runFilters, type Filter } from './filters/index.js';
export * from './filters/index.js';
export { SCORE_PLUGINS, type ScorePlugin } from './scores/index.js';
export * from './scores/index.js';
export type { FilterStatus, Rejection, RejectionCode } from './status.js';
