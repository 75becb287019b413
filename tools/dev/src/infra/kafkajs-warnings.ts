/**
 * kafkajs 2.2.4 (the last release) calls `setTimeout(fn, throttledUntil - Date.now())` in
 * RequestQueue.scheduleCheckPendingRequests while `throttledUntil` is still its initial -1, so
 * the delay is about minus the current epoch in ms. Node has always clamped such a delay to 1 ms;
 * Node 24 also emits a `TimeoutNegativeWarning` for it, once per process, on the first request.
 * The behaviour is correct, so the warning is noise (tulios/kafkajs#1751; fixes #1755/#1756
 * are unmerged).
 *
 * A `process.on('warning')` listener cannot hide it: Node's own stderr printer is a listener
 * too. So this wraps `process.emitWarning` and drops exactly that warning type when the call
 * comes from kafkajs's request queue; every other warning, including a negative timeout from
 * our own code, still goes through. The process-wide alternative is
 * `node --disable-warning=TimeoutNegativeWarning` (used by deploy/kafka/kafka.sh's probe).
 */
const warningName = 'TimeoutNegativeWarning';
const kafkajsCaller = /[\\/]kafkajs[\\/]src[\\/]network[\\/]requestQueue[\\/]/;

let uninstall: (() => void) | undefined;

function warningType(warning: unknown, rest: readonly unknown[]): string | undefined {
  if (warning instanceof Error) return warning.name;
  const [typeOrOptions] = rest;
  if (typeof typeOrOptions === 'string') return typeOrOptions;
  if (typeof typeOrOptions === 'object' && typeOrOptions !== null && 'type' in typeOrOptions) {
    const { type } = typeOrOptions;
    return typeof type === 'string' ? type : undefined;
  }
  return undefined;
}

/** Installs the filter once per process; returns a function that removes it. */
export function suppressKafkajsTimeoutNegativeWarning(): () => void {
  if (uninstall !== undefined) return uninstall;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its receiver below
  const original = process.emitWarning;
  const filtered = function (this: NodeJS.Process, warning: unknown, ...rest: unknown[]): void {
    if (warningType(warning, rest) === warningName && kafkajsCaller.test(new Error().stack ?? '')) {
      return;
    }
    Reflect.apply(original, this, [warning, ...rest]);
  };
  process.emitWarning = filtered;
  const remove = (): void => {
    if (process.emitWarning === filtered) process.emitWarning = original;
    uninstall = undefined;
  };
  uninstall = remove;
  return remove;
}
