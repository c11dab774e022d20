// mini-kubed's entry point: the only place that reads argv, handles signals and exits.
import { startDaemon } from './daemon.js';
import { FlagError, USAGE, parseFlags } from './flags.js';
import { DataDirLockedError } from './lock.js';
import { createLogger } from './logger.js';

export async function main(argv: string[]): Promise<void> {
  let config;
  try {
    config = parseFlags(argv);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`mini-kubed: ${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (!config) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const log = createLogger(config.logLevel);
  let daemon;
  try {
    daemon = await startDaemon(config, log);
  } catch (err) {
    const known = err instanceof DataDirLockedError || (err as NodeJS.ErrnoException).code === 'EADDRINUSE' || /not yet supported/.test(String(err));
    process.stderr.write(`mini-kubed: ${known ? (err as Error).message : (err as Error).stack}\n`);
    process.exit(1);
  }
  process.stdout.write(`mini-kubed is ready. To use it with kubectl: export KUBECONFIG=${daemon.kubeconfig}\n`);

  const shutdown = (signal: string): void => {
    log.info(`${signal} received, stopping`);
    daemon
      .stop()
      .then(() => process.exit(0))
      .catch((err: Error) => {
        log.error(`stop failed: ${err.message}`);
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
