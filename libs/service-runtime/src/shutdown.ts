import type { Logger } from '@textplane/observability';

/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits. Ctrl-C pressed twice, or a stop that takes
 * longer than `timeoutMs`, exits at once so an operator is never stuck. Other repeated signals
 * wait for the stop under way: a launcher's SIGTERM often follows the terminal's SIGINT.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, timeoutMs = 15_000): void {
  let stoppingOn: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppingOn !== undefined) {
      if (signal === 'SIGINT' && stoppingOn === 'SIGINT') {
        logger.warn({ signal }, 'interrupted twice: exiting now');
        process.exit(1);
      }
      logger.info({ signal }, 'already stopping');
      return;
    }
    stoppingOn = signal;
    logger.info({ signal }, 'stopping');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'graceful stop timed out');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
