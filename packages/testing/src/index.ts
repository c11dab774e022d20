export { startDaemon, REPO_ROOT, type Daemon, type DaemonOptions } from './daemon.js';
export { kubectl, kubectlStream, hasKubectl, kubectlBinary, KubectlStream, type KubectlOptions, type KubectlResult } from './kubectl.js';
export { LineReader, type LineMatch } from './lines.js';
export { freePort } from './net.js';
export { makeTempDir } from './temp.js';
export { waitFor, type WaitOptions } from './wait.js';
