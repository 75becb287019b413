import { describeExit, type ServiceProcess } from './service-process.js';

export class ServiceNotReadyError extends Error {
  override readonly name = 'ServiceNotReadyError';
}

const pollIntervalMs = 250;
const logTailLines = 40;

/**
 * Polls `url` until it answers 200. Fails at once, with the end of the service's log, when the
 * process exits first, and after `timeoutMs` otherwise.
 */
export async function waitUntilReady(
  service: ServiceProcess,
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastAnswer: string;
  for (;;) {
    signal?.throwIfAborted();
    const exit = service.exitStatus;
    if (exit !== undefined) {
      throw new ServiceNotReadyError(
        `${service.name} exited (${describeExit(exit)}) before ${url} answered; last lines of ${service.logFile}:\n${await service.logTail(logTailLines)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      lastAnswer = `HTTP ${response.status}`;
    } catch (error: unknown) {
      lastAnswer = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      throw new ServiceNotReadyError(
        `${service.name} was not ready at ${url} within ${timeoutMs} ms (${lastAnswer}); last lines of ${service.logFile}:\n${await service.logTail(logTailLines)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}
