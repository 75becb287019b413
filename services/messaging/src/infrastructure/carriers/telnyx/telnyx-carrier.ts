import type { RecipientCarrier } from '@textplane/contracts';
import { APIConnectionError, APIError, type ClientOptions, Telnyx } from 'telnyx';
import type {
  AcceptedRecipientCarrier,
  Carrier,
  CarrierLookupResult,
  CarrierSubmission,
  CarrierSubmissionResult,
} from '../carrier.js';
import { recipientCarrierOf } from './telnyx-number-lookup.js';
import { isRetryableTelnyxStatus, telnyxErrorOf } from './telnyx-errors.js';
import {
  isObject,
  lastChangeOfTelnyxMessage,
  statusOfTelnyxMessage,
} from './telnyx-message-status.js';

export interface TelnyxCarrierOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  messagingProfileId?: string;
  /**
   * Where the SDK logs (else the console) and from which level (its default: warn, or
   * TELNYX_LOG). It redacts the Authorization header itself; the request table test holds it
   * to that, through the service's own logger.
   */
  logger?: CarrierLogger;
  logLevel?: ClientOptions['logLevel'];
}

/** The service's logger, as far as the SDK needs it (pino's `(object, message)` form). */
export interface CarrierLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** The SDK logs `(message, ...details)`; the service's log gets them as one structured line. */
function sdkLoggerOf(logger: CarrierLogger): NonNullable<ClientOptions['logger']> {
  const at =
    (level: keyof CarrierLogger) =>
    (message: string, ...details: unknown[]): void => {
      logger[level]({ carrier: 'telnyx', details }, message);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** Sends messages and asks about them through the official Telnyx SDK (`messages.send`, `messages.retrieve`). */
export class TelnyxCarrier implements Carrier {
  private readonly client: Telnyx;

  constructor(private readonly options: TelnyxCarrierOptions) {
    this.client = new Telnyx({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      ...(options.logger ? { logger: sdkLoggerOf(options.logger) } : {}),
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    });
  }

  async submit(submission: CarrierSubmission): Promise<CarrierSubmissionResult> {
    try {
      const response = await this.client.messages.send(
        {
          from: submission.from,
          to: submission.to,
          ...(submission.body ? { text: submission.body } : {}),
          ...(submission.mediaUrls.length > 0
            ? { media_urls: submission.mediaUrls, type: 'MMS' as const }
            : {}),
          ...(this.options.messagingProfileId
            ? { messaging_profile_id: this.options.messagingProfileId }
            : {}),
        },
        // Telnyx keeps the first answer for a key for 24 h: a retry after a crash cannot send twice.
        { headers: { 'Idempotency-Key': submission.messageId } },
      );
      const carrierMessageId = response.data?.id;
      if (!carrierMessageId) {
        return {
          outcome: 'unavailable',
          errorDetail: 'carrier answered without a message id',
          retryAfterMs: null,
        };
      }
      return { outcome: 'accepted', carrierMessageId, ...acceptedDetailOf(response.data ?? {}) };
    } catch (error) {
      return classifyFailure(error);
    }
  }

  /** `GET /v2/messages/{id}`: where the message stands at the carrier, in a receipt's terms. */
  async lookup(carrierMessageId: string): Promise<CarrierLookupResult> {
    let data: unknown;
    try {
      data = (await this.client.messages.retrieve(carrierMessageId)).data;
    } catch (error) {
      return classifyLookupFailure(error);
    }
    if (!isObject(data) || data['direction'] !== 'outbound') {
      return {
        outcome: 'unavailable',
        errorDetail: 'carrier answered without an outbound message',
      };
    }
    const read = statusOfTelnyxMessage(data, lastChangeOfTelnyxMessage(data, new Date()));
    if (!read.ok) return { outcome: 'unavailable', errorDetail: `carrier message ${read.reason}` };
    if (read.report.carrierMessageId !== carrierMessageId) {
      return { outcome: 'unavailable', errorDetail: 'carrier answered about another message' };
    }
    return { outcome: 'found', report: read.report };
  }
}

function classifyLookupFailure(error: unknown): CarrierLookupResult {
  if (error instanceof APIConnectionError) {
    return { outcome: 'unavailable', errorDetail: error.message };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const detail =
      telnyxErrorOf(error.error)?.detail ?? `carrier answered HTTP ${String(error.status)}`;
    // Anything but "not found" may pass (a bad key gets fixed, a 5xx ends): ask again later.
    return error.status === 404
      ? { outcome: 'unknown', detail }
      : { outcome: 'unavailable', errorDetail: detail };
  }
  throw error;
}

function classifyFailure(error: unknown): CarrierSubmissionResult {
  if (error instanceof APIConnectionError) {
    return { outcome: 'unavailable', errorDetail: error.message, retryAfterMs: null };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const telnyxError = telnyxErrorOf(error.error);
    if (isRetryableTelnyxStatus(error.status)) {
      return {
        outcome: 'unavailable',
        errorDetail: telnyxError?.detail ?? `carrier answered HTTP ${error.status}`,
        retryAfterMs: retryAfterMs(error.headers as Headers | undefined),
      };
    }
    return {
      outcome: 'rejected',
      errorCode: telnyxError?.code ?? `http_${error.status}`,
      errorDetail:
        telnyxError?.detail ?? telnyxError?.title ?? `carrier answered HTTP ${error.status}`,
    };
  }
  throw error;
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const value = headers?.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/**
 * What billing reads of Telnyx's answer to a send: `parts` (the segments it will send, 1 for an
 * MMS) and the recipient's network, `to[0].carrier` ("T-MOBILE USA, INC."), in billing's names.
 */
export function acceptedDetailOf(data: {
  parts?: number | null;
  to?: Array<{ carrier?: string | null }> | null;
}): { parts?: number; recipientCarrier?: AcceptedRecipientCarrier } {
  const parts = data.parts;
  const carrier = BILLING_CARRIER[recipientCarrierOf(data.to?.[0]?.carrier ?? undefined)];
  return {
    ...(typeof parts === 'number' && Number.isInteger(parts) && parts >= 1 ? { parts } : {}),
    ...(carrier ? { recipientCarrier: carrier } : {}),
  };
}

const BILLING_CARRIER: Record<RecipientCarrier, AcceptedRecipientCarrier | null> = {
  att: 'att',
  tmobile: 't-mobile',
  verizon: 'verizon',
  other: null,
};
