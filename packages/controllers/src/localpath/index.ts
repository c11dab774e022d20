// The local-path provisioner as the controller manager runs it: only when the daemon gave its data
// dir (the volumes live under it); otherwise it does nothing.
import type { Controller } from '../context.js';
import { LocalPathProvisioner } from './controller.js';

export { LocalPathProvisioner } from './controller.js';
export const localPathProvisioner: Controller = async (ctx) => {
  if (!ctx.options.dataDir) return;
  await new LocalPathProvisioner(ctx, ctx.options.dataDir).run();
};
