// Server-side apply and managedFields (structured-merge-diff semantics over plain JSON).
export { applyPatch, type ApplyOptions } from './apply.js';
export { updateManagedFields, type UpdateManagedFieldsOptions } from './update.js';
export { managerFromUserAgent } from './user-agent.js';
export type { ManagedFieldsEntry } from './managers.js';
