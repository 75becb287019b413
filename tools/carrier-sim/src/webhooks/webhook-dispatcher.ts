import { Agent as HttpAgent, type ClientRequest, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { type WebhookEventData } from '../messages/message-payload.js';
import { type TrustWebhookEvent } from '../trust/trust-payloads.js';
import { type WebhookSigner } from './webhook-signer.js';

export interface WebhookDispatcherSettings {
  readonly attemptsPerUrl: number;
  readonly retryBaseDelayMs: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
}

export type WebhookDelivery =
  | { readonly delivered: true; readonly url: string; readonly attempts: number }
  | { readonly delivered: false; readonly attempts: number; readonly lastError: string };

interface WebhookTarget {
  readonly url: URL;
  readonly send: typeof httpRequest;
  readonly agent: HttpAgent;
}

/** Caps webhook POSTs in flight, so a burst of sends cannot open thousands of sockets. */
class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Posts signed webhooks with Telnyx's retry behaviour: a few attempts per URL with growing
 * delays, then the next URL (failover). `meta.attempt` counts every attempt; each attempt is
 * signed afresh because its body differs. Plain node:http with keep-alive agents: fetch's
 * per-request overhead (streams, signals) showed at a thousand messages a second.
 */
export class WebhookDispatcher {
  private readonly limit: ConcurrencyLimit;
  private cancellation = new AbortController();
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly targets = new Map<string, WebhookTarget>();
  private readonly inFlight = new Set<ClientRequest>();

  constructor(
    private readonly signer: WebhookSigner,
    private readonly settings: WebhookDispatcherSettings,
    private readonly now: () => Date,
  ) {
    this.limit = new ConcurrencyLimit(settings.concurrency);
    const agentOptions = { keepAlive: true, maxSockets: settings.concurrency };
    this.httpAgent = new HttpAgent(agentOptions);
    this.httpsAgent = new HttpsAgent(agentOptions);
  }

  /** The signal that ends every pending delivery when the simulator resets or closes. */
  get signal(): AbortSignal {
    return this.cancellation.signal;
  }

  cancelAll(): void {
    this.cancellation.abort();
    this.cancellation = new AbortController();
    for (const req of this.inFlight) req.destroy(new Error('cancelled'));
    this.inFlight.clear();
  }

  /** Cancels everything and closes the pooled sockets. */
  close(): void {
    this.cancelAll();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  async deliver(
    event: WebhookEventData | TrustWebhookEvent,
    urls: readonly string[],
  ): Promise<WebhookDelivery> {
    const signal = this.cancellation.signal;
    let attempt = 0;
    let lastError = 'no webhook URL';
    for (const url of urls) {
      for (let tryOnUrl = 1; tryOnUrl <= this.settings.attemptsPerUrl; tryOnUrl += 1) {
        if (signal.aborted) return { delivered: false, attempts: attempt, lastError: 'cancelled' };
        if (attempt > 0) {
          // First retry on a URL waits the base delay, then doubles; a failover URL starts at once.
          const backoff = tryOnUrl === 1 ? 0 : this.settings.retryBaseDelayMs * 2 ** (tryOnUrl - 2);
          await sleep(backoff, undefined, { signal }).catch(() => undefined);
          if (signal.aborted)
            return { delivered: false, attempts: attempt, lastError: 'cancelled' };
        }
        attempt += 1;
        const failure = await this.limit.run(() => this.post(event, url, attempt, signal));
        if (failure === null) return { delivered: true, url, attempts: attempt };
        lastError = failure;
      }
    }
    return { delivered: false, attempts: attempt, lastError };
  }

  /** One attempt; resolves to null on a 2xx, else to why it failed. */
  private post(
    event: WebhookEventData | TrustWebhookEvent,
    url: string,
    attempt: number,
    cancel: AbortSignal,
  ): Promise<string | null> {
    if (cancel.aborted) return Promise.resolve('cancelled');
    const target = this.target(url);
    if (target === null) return Promise.resolve(`not an http(s) URL: ${url}`);
    const body = JSON.stringify({ data: event, meta: { attempt, delivered_to: url } });
    return new Promise((resolve) => {
      const req = target.send(
        target.url,
        {
          method: 'POST',
          agent: target.agent,
          timeout: this.settings.timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'telnyx-webhooks',
            ...this.signer.sign(body, this.now()),
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          // Drain the body so the socket goes back to the keep-alive pool.
          res.resume();
          res.once('end', () => resolve(status >= 200 && status < 300 ? null : `HTTP ${status}`));
          res.once('error', (error) => resolve(error.message));
          // After 'end' this is a no-op; before it, the answer was cut off.
          res.once('close', () => resolve('answer interrupted'));
        },
      );
      const settle = () => this.inFlight.delete(req);
      this.inFlight.add(req);
      req.once('close', settle);
      req.once('timeout', () =>
        req.destroy(new Error(`no answer within ${this.settings.timeoutMs} ms`)),
      );
      req.once('error', (error) => resolve(error.message));
      req.end(body);
    });
  }

  private target(url: string): WebhookTarget | null {
    let target = this.targets.get(url);
    if (target === undefined) {
      const parsed = URL.canParse(url) ? new URL(url) : null;
      if (parsed?.protocol === 'http:') {
        target = { url: parsed, send: httpRequest, agent: this.httpAgent };
      } else if (parsed?.protocol === 'https:') {
        target = { url: parsed, send: httpsRequest, agent: this.httpsAgent };
      } else {
        return null;
      }
      // Bounded: per-message webhook URLs come from clients; a simulator sees few distinct ones.
      if (this.targets.size > 1_000) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }
}
