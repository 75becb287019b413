import { createRequire } from 'node:module';

/** What this fix uses of kafkajs's internal RequestQueue (kafkajs/src/network/requestQueue). */
export interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** The kafkajs release whose internals this replaces (the last one, in maintenance). */
const FIXED_KAFKAJS_VERSION = '2.2.4';

/** kafkajs's own interval for retrying requests held back by its in-flight limit. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

let fixed = false;

/**
 * kafkajs 2.2.4 (in maintenance, no fix released) keeps every broker connection's request queue
 * on a 1 ms timer for as long as the connection is open. `checkPendingRequests` ends by calling
 * `scheduleCheckPendingRequests`, which arms `setTimeout(check, throttledUntil - Date.now())`
 * whatever is pending; `throttledUntil` starts at -1, so the delay is about minus the epoch in
 * ms, which Node clamps to 1 ms, and the timer's `checkPendingRequests` arms it again. Node 24
 * reports the negative delay as a `TimeoutNegativeWarning` (tulios/kafkajs#1751). A service with
 * a dozen connections woke about 1,500 times a second while idle (strace) and spent about 5% of
 * a core doing nothing.
 *
 * This replaces `scheduleCheckPendingRequests` with what it is documented to do: arm a check
 * only while requests wait, at the end of a client-side throttle or, when they wait on the
 * in-flight limit, at kafkajs's own 10 ms. With nothing pending there is nothing to check: a new
 * request is sent at once or queued (which arms the check), and every response or timeout
 * checks the queue itself.
 */
export function fixKafkajsRequestQueueTimer(): void {
  if (fixed) return;
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
    prototype: RequestQueueInternals;
  };
  if (
    version !== FIXED_KAFKAJS_VERSION ||
    typeof RequestQueue.prototype.scheduleCheckPendingRequests !== 'function'
  ) {
    throw new Error(
      `kafkajs ${version} is installed; fixKafkajsRequestQueueTimer replaces an internal method of kafkajs ${FIXED_KAFKAJS_VERSION} and must be revisited for it`,
    );
  }
  RequestQueue.prototype.scheduleCheckPendingRequests = function (
    this: RequestQueueInternals,
  ): void {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const throttledForMs = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledForMs > 0 ? throttledForMs : CHECK_PENDING_REQUESTS_INTERVAL_MS,
    );
  };
  fixed = true;
}
