export { startDaemon, type RunningDaemon } from './daemon.js';
export { parseFlags, type DaemonConfig } from './flags.js';
export { main } from './main.js';
