import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CarrierSimSettings } from './config.js';
import { FaultBook, type FaultMode } from './faults.js';
import { IDEMPOTENCY_KEY_PATTERN, IdempotencyStore, digestBody } from './idempotency-store.js';
import {
  type CarrierMessage,
  type OutboundProgress,
  inboundPayload,
  outboundPayload,
  webhookEvent,
} from './messages/message-payload.js';
import {
  type SendCap,
  SendCapBook,
  type SendCapStatus,
  busiestWindow,
} from './messages/send-caps.js';
import { type SentMessage, SentMessageLog } from './messages/sent-message-log.js';
import { parseSendMessageRequest } from './messages/send-message-request.js';
import { countSegments } from './segments.js';
import {
  type TelnyxErrorResponse,
  deliveryErrorCatalogue,
  telnyxErrorResponse,
} from './telnyx-errors.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { type WebhookSigner } from './webhooks/webhook-signer.js';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** `hold`: the `timeout` fault; the answer exists but is withheld from the client. */
export type SendOutcome =
  | { readonly kind: 'answer'; readonly answer: HttpAnswer }
  | { readonly kind: 'hold'; readonly answer: HttpAnswer };

export type InboundOutcome =
  { readonly ok: true; readonly id: string } | { readonly ok: false; readonly reason: string };

export interface WebhookStats {
  readonly delivered: number;
  readonly failed: number;
  readonly pending: number;
}

const E164 = /^\+[1-9]\d{1,14}$/;
// Telnyx rejects messages queued longer than 4 hours.
const VALIDITY_MS = 4 * 60 * 60 * 1000;
// Fixed, so payloads in logs and fixtures look the same from one run to the next.
const ORGANIZATION_ID = '6e1b4d6a-9f1c-4c59-9f0e-5a1f0c1d2e3f';
const DEFAULT_MESSAGING_PROFILE_ID = '40017a1b-5c2d-4e3f-8a9b-0c1d2e3f4a5b';

function errorAnswer(error: TelnyxErrorResponse, headers?: Record<string, string>): HttpAnswer {
  return {
    status: error.status,
    body: JSON.stringify(error.body),
    ...(headers ? { headers } : {}),
  };
}

type Outcome = 'delivered' | 'delivery_failed' | 'sending_failed';

function outcomeOf(fault: FaultMode | undefined): Outcome {
  return fault === 'delivery_failed' || fault === 'sending_failed' ? fault : 'delivered';
}

/**
 * The simulated carrier: accepts sends as Telnyx would, remembers them, and reports their
 * progress and inbound texts through signed webhooks. HTTP mapping lives in server.ts.
 */
export class SimulatedCarrier {
  private readonly numbers: ReadonlySet<string>;
  private readonly idempotency: IdempotencyStore;
  private readonly faults = new FaultBook();
  private readonly sent: SentMessageLog;
  private readonly caps: SendCapBook;
  private readonly dispatcher: WebhookDispatcher;
  private webhooks = { delivered: 0, failed: 0, pending: 0 };
  /** What `GET /v2/messages/{id}` answers from: each message and where it stands now. */
  private readonly records = new Map<
    string,
    { readonly message: CarrierMessage; progress: OutboundProgress | 'inbound' }
  >();

  constructor(
    private readonly settings: CarrierSimSettings,
    readonly signer: WebhookSigner,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.numbers = new Set(settings.numbers);
    this.idempotency = new IdempotencyStore(settings.maxStoredMessages, () => now().getTime());
    this.sent = new SentMessageLog(settings.maxStoredMessages);
    this.caps = new SendCapBook(settings.sendCaps);
    this.dispatcher = new WebhookDispatcher(
      signer,
      {
        attemptsPerUrl: settings.webhookAttemptsPerUrl,
        retryBaseDelayMs: settings.webhookRetryBaseDelayMs,
        timeoutMs: settings.webhookTimeoutMs,
        concurrency: settings.webhookConcurrency,
      },
      now,
    );
  }

  send(rawBody: Buffer, idempotencyKey: string | undefined): SendOutcome {
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return { kind: 'answer', answer: errorAnswer(telnyxErrorResponse('badRequest')) };
    }

    let bodyDigest: string | undefined;
    if (idempotencyKey !== undefined) {
      if (!IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
        const error = telnyxErrorResponse('invalidIdempotencyKey', {
          source: { parameter: 'Idempotency-Key' },
        });
        return { kind: 'answer', answer: errorAnswer(error) };
      }
      bodyDigest = digestBody(rawBody);
      const known = this.idempotency.lookup(idempotencyKey, bodyDigest);
      switch (known.kind) {
        case 'replay':
          return { kind: 'answer', answer: { status: 200, body: known.answer } };
        case 'conflict':
          return {
            kind: 'answer',
            answer: errorAnswer(telnyxErrorResponse('idempotencyKeyReused')),
          };
        case 'new':
          break;
      }
    }

    const to =
      typeof body === 'object' && body !== null ? (body as { to?: unknown }).to : undefined;
    const fault = this.faults.take(typeof to === 'string' ? to : '');
    switch (fault) {
      case 'http_500':
        return { kind: 'answer', answer: errorAnswer(telnyxErrorResponse('unexpectedError')) };
      case 'http_429':
        return {
          kind: 'answer',
          answer: errorAnswer(telnyxErrorResponse('tooManyRequests'), { 'retry-after': '1' }),
        };
      case 'timeout':
      case 'delivery_failed':
      case 'sending_failed':
      case 'receipts_lost':
      case undefined:
        break;
    }

    const parsed = parseSendMessageRequest(body, {
      numbers: this.numbers,
      acceptAnyFrom: this.settings.acceptAnyFrom,
    });
    if (!parsed.ok) return { kind: 'answer', answer: errorAnswer(parsed.error) };
    const request = parsed.request;

    const receivedAt = this.now();
    const segments = countSegments(request.text);
    const parts = request.type === 'MMS' ? 1 : segments.parts;
    // Over a configured cap: refused as Telnyx refuses it, nothing recorded, the key not spent.
    if (!this.caps.admit(request.from, parts, receivedAt).ok) {
      return { kind: 'answer', answer: errorAnswer(telnyxErrorResponse('messageQueueFull')) };
    }
    const message: CarrierMessage = {
      id: randomUUID(),
      direction: 'outbound',
      type: request.type,
      from: request.from,
      to: request.to,
      text: request.text,
      subject: request.subject,
      mediaUrls: request.mediaUrls,
      encoding: segments.encoding,
      parts,
      numChars: segments.numChars,
      messagingProfileId: request.messagingProfileId ?? DEFAULT_MESSAGING_PROFILE_ID,
      organizationId: ORGANIZATION_ID,
      webhookUrl: request.webhookUrl,
      webhookFailoverUrl: request.webhookFailoverUrl,
      receivedAt,
      validUntil: new Date(receivedAt.getTime() + VALIDITY_MS),
    };
    const answer = JSON.stringify({ data: outboundPayload(message, { status: 'queued' }) });
    if (idempotencyKey !== undefined && bodyDigest !== undefined) {
      this.idempotency.remember(idempotencyKey, bodyDigest, answer);
    }
    const record = this.sent.append(message, idempotencyKey ?? null);
    this.remember(message, { status: 'queued' });

    const targets =
      fault === 'receipts_lost'
        ? []
        : [
            request.webhookUrl,
            request.webhookFailoverUrl,
            request.useProfileWebhooks ? this.settings.webhookUrl : null,
          ].filter((url, i, all): url is string => url !== null && all.indexOf(url) === i);
    void this.reportProgress(message, record, outcomeOf(fault), targets);

    const accepted: HttpAnswer = { status: 200, body: answer };
    return fault === 'timeout'
      ? { kind: 'hold', answer: accepted }
      : { kind: 'answer', answer: accepted };
  }

  injectInbound(input: unknown): InboundOutcome {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { ok: false, reason: 'body must be a JSON object' };
    }
    const { from, to, text, mediaUrls } = input as Record<string, unknown>;
    if (typeof from !== 'string' || !E164.test(from)) {
      return { ok: false, reason: 'from must be an E.164 number' };
    }
    if (typeof to !== 'string' || !E164.test(to)) {
      return { ok: false, reason: 'to must be an E.164 number' };
    }
    if (text !== undefined && typeof text !== 'string') {
      return { ok: false, reason: 'text must be a string' };
    }
    const media = mediaUrls ?? [];
    if (!Array.isArray(media) || !media.every((u): u is string => typeof u === 'string')) {
      return { ok: false, reason: 'mediaUrls must be an array of strings' };
    }
    const body = text ?? '';
    if (body === '' && media.length === 0) {
      return { ok: false, reason: 'text or mediaUrls is required' };
    }

    const receivedAt = this.now();
    const segments = countSegments(body);
    const message: CarrierMessage = {
      id: randomUUID(),
      direction: 'inbound',
      type: media.length > 0 ? 'MMS' : 'SMS',
      from,
      to,
      text: body,
      subject: null,
      mediaUrls: media,
      encoding: segments.encoding,
      parts: media.length > 0 ? 1 : segments.parts,
      numChars: segments.numChars,
      messagingProfileId: DEFAULT_MESSAGING_PROFILE_ID,
      organizationId: ORGANIZATION_ID,
      webhookUrl: this.settings.webhookUrl,
      webhookFailoverUrl: null,
      receivedAt,
      validUntil: null,
    };
    this.remember(message, 'inbound');
    const event = webhookEvent('message.received', inboundPayload(message), receivedAt);
    void this.dispatch(event, [this.settings.webhookUrl]);
    return { ok: true, id: message.id };
  }

  /** `GET /v2/messages/{id}`: the message as it stands now, or 404 `10005` when unknown. */
  retrieve(id: string): HttpAnswer {
    const known = this.records.get(id);
    if (!known) return errorAnswer(telnyxErrorResponse('resourceNotFound'));
    const payload =
      known.progress === 'inbound'
        ? inboundPayload(known.message)
        : outboundPayload(known.message, known.progress);
    return { status: 200, body: JSON.stringify({ data: payload }) };
  }

  private remember(message: CarrierMessage, progress: OutboundProgress | 'inbound'): void {
    this.records.set(message.id, { message, progress });
    if (this.records.size > this.settings.maxStoredMessages) {
      const oldest = this.records.keys().next();
      if (!oldest.done) this.records.delete(oldest.value);
    }
  }

  private advance(message: CarrierMessage, progress: OutboundProgress): void {
    const known = this.records.get(message.id);
    if (known) known.progress = progress;
  }

  armFault(rule: Parameters<FaultBook['arm']>[0]): void {
    this.faults.arm(rule);
  }

  listFaults(): ReturnType<FaultBook['list']> {
    return this.faults.list();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  sentMessages(filter: { to?: string; from?: string }): readonly SentMessage[] {
    return this.sent.list(filter);
  }

  /** The send caps in force, each with the sends it refused. */
  listCaps(): readonly SendCapStatus[] {
    return this.caps.list();
  }

  /** Replaces the caps in force until the next reset (`PUT /sim/caps`); counts start empty. */
  setCaps(caps: readonly SendCap[]): void {
    this.caps.set(caps);
  }

  /** Back to the configured caps (`DELETE /sim/caps`). */
  resetCaps(): void {
    this.caps.reset();
  }

  /**
   * The busiest window of `windowMs` over the accepted sends' receive times (of one sender, or
   * all), in messages or parts: what a test compares with the cap it set.
   */
  throughput(filter: { from?: string; windowMs: number; unit: SendCap['unit'] }): {
    readonly from: string | null;
    readonly windowMs: number;
    readonly unit: SendCap['unit'];
    readonly sends: number;
    readonly busiest: { readonly units: number; readonly start: string | null };
  } {
    const sends = this.sent.list(filter.from === undefined ? {} : { from: filter.from });
    const busiest = busiestWindow(
      sends.map((send) => ({
        at: Date.parse(send.received_at),
        units: filter.unit === 'part' ? Math.max(1, send.parts) : 1,
      })),
      filter.windowMs,
    );
    return {
      from: filter.from ?? null,
      windowMs: filter.windowMs,
      unit: filter.unit,
      sends: sends.length,
      busiest: {
        units: busiest.units,
        start: busiest.start === null ? null : new Date(busiest.start).toISOString(),
      },
    };
  }

  webhookStats(): WebhookStats {
    return { ...this.webhooks };
  }

  /**
   * Forgets messages, faults, idempotency keys and what the caps counted (back to the configured
   * caps), and drops webhooks not yet delivered.
   */
  reset(): void {
    this.dispatcher.cancelAll();
    this.sent.clear();
    this.caps.reset();
    this.records.clear();
    this.faults.clear();
    this.idempotency.clear();
    this.webhooks = { delivered: 0, failed: 0, pending: 0 };
  }

  close(): void {
    this.dispatcher.close();
  }

  /** message.sent, then message.finalized, one after the other so their order holds. */
  private async reportProgress(
    message: CarrierMessage,
    record: SentMessage,
    outcome: Outcome,
    targets: readonly string[],
  ): Promise<void> {
    const signal = this.dispatcher.signal;
    const wait = () => sleep(this.settings.deliveryDelayMs, undefined, { signal });
    try {
      await wait();
      if (outcome === 'sending_failed') {
        const completedAt = this.now();
        record.status = 'sending_failed';
        const errors = [deliveryErrorCatalogue.sending_failed];
        const progress: OutboundProgress = { status: 'sending_failed', completedAt, errors };
        this.advance(message, progress);
        const payload = outboundPayload(message, progress);
        await this.dispatch(webhookEvent('message.finalized', payload, completedAt), targets);
        return;
      }
      const sentAt = this.now();
      record.status = 'sent';
      this.advance(message, { status: 'sent', sentAt });
      const sent = outboundPayload(message, { status: 'sent', sentAt });
      await this.dispatch(webhookEvent('message.sent', sent, sentAt), targets);
      await wait();
      const completedAt = this.now();
      record.status = outcome;
      const final: OutboundProgress =
        outcome === 'delivered'
          ? { status: 'delivered', sentAt, completedAt }
          : {
              status: 'delivery_failed',
              sentAt,
              completedAt,
              errors: [deliveryErrorCatalogue.delivery_failed],
            };
      this.advance(message, final);
      const finalized = outboundPayload(message, final);
      await this.dispatch(webhookEvent('message.finalized', finalized, completedAt), targets);
    } catch {
      // Only a cancelled wait lands here: the simulator was reset or closed.
    }
  }

  private async dispatch(
    event: Parameters<WebhookDispatcher['deliver']>[0],
    targets: readonly string[],
  ): Promise<void> {
    if (targets.length === 0) return;
    const counters = this.webhooks;
    counters.pending += 1;
    const delivery = await this.dispatcher.deliver(event, targets);
    counters.pending -= 1;
    if (delivery.delivered) counters.delivered += 1;
    else counters.failed += 1;
  }
}
