// ControllerRevision helpers shared by the DaemonSet and StatefulSet controllers.
export * from './revisions.js';
export { planCurrentRevision, type RevisionPlan } from './plan.js';
export { CONTROLLER_REVISIONS, claimRevisions, deleteRevisions, syncCurrentRevision, type CurrentRevision, type HistoryTarget } from './store.js';
