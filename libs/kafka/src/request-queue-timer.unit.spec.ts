import { createRequire } from 'node:module';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixKafkajsRequestQueueTimer, type RequestQueueInternals } from './request-queue-timer.js';

interface RequestQueue extends RequestQueueInternals {
  inflight: Map<number, unknown>;
  sendSocketRequest(request: unknown): void;
  destroy(): void;
}

type RequestQueueClass = new (options: object) => RequestQueue;

let RequestQueue: RequestQueueClass;

beforeAll(() => {
  fixKafkajsRequestQueueTimer();
  RequestQueue = createRequire(import.meta.url)(
    'kafkajs/src/network/requestQueue/index.js',
  ) as RequestQueueClass;
});

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function queue(): RequestQueue {
  return new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: '127.0.0.1:9092',
    logger: silent,
  });
}

describe('kafkajs RequestQueue timer, fixed', () => {
  let queues: RequestQueue[] = [];
  const make = (): RequestQueue => {
    const made = queue();
    queues.push(made);
    return made;
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-27T12:00:00Z') });
  });

  afterEach(() => {
    for (const made of queues) made.destroy();
    queues = [];
    vi.useRealTimers();
  });

  it('arms no timer once the queue is checked with nothing waiting', () => {
    const idle = make();
    const warnings = vi.spyOn(process, 'emitWarning');

    idle.checkPendingRequests();
    idle.checkPendingRequests();

    expect(idle.throttleCheckTimeoutId).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
  });

  it('checks a request held back by the in-flight limit every 10 ms until it is sent', () => {
    const busy = make();
    const sent: unknown[] = [];
    vi.spyOn(busy, 'sendSocketRequest').mockImplementation((request) => {
      sent.push(request);
    });
    busy.inflight.set(1, {});
    busy.pending.push('waiting request');

    busy.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(10);
    expect(sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);

    busy.inflight.clear();
    vi.advanceTimersByTime(10);

    expect(sent).toEqual(['waiting request']);
    expect(busy.pending).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits out a client-side throttle before checking again', () => {
    const throttled = make();
    const sent: unknown[] = [];
    vi.spyOn(throttled, 'sendSocketRequest').mockImplementation((request) => {
      sent.push(request);
    });
    throttled.throttledUntil = Date.now() + 500;
    throttled.pending.push('throttled request');

    throttled.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(499);
    expect(sent).toEqual([]);

    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['throttled request']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps one timer however often it is asked', () => {
    const busy = make();
    busy.inflight.set(1, {});
    busy.pending.push('a', 'b');

    busy.scheduleCheckPendingRequests();
    busy.scheduleCheckPendingRequests();

    expect(vi.getTimerCount()).toBe(1);
  });
});
