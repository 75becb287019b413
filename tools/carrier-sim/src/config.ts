/** The simulator's settings: the only place that reads the environment. */

import { type SendCap, parseSendCapsSetting } from './messages/send-caps.js';

export interface CarrierSimSettings {
  readonly host: string;
  readonly port: number;
  /** Sender numbers this simulated account owns (E.164). */
  readonly numbers: readonly string[];
  readonly acceptAnyFrom: boolean;
  /** The messaging profile's webhook URL: used when a send carries no `webhook_url`. */
  readonly webhookUrl: string;
  /** Wait before each status change (queued → sent → finalized). */
  readonly deliveryDelayMs: number;
  /**
   * Base64 Ed25519 private key: either the raw 32-byte seed or a PKCS#8 DER document
   * (`openssl genpkey -algorithm ed25519 -outform DER | base64`). Absent: a new key pair per start.
   */
  readonly privateKey: string | undefined;
  /** Attempts per webhook URL before moving to the failover URL (Telnyx: 3). */
  readonly webhookAttemptsPerUrl: number;
  /** First retry delay; doubles at each further attempt. */
  readonly webhookRetryBaseDelayMs: number;
  /** How long one webhook POST may take before it counts as failed. */
  readonly webhookTimeoutMs: number;
  /** Webhook POSTs in flight at once, across all messages. */
  readonly webhookConcurrency: number;
  /** How long the `timeout` fault holds a send before answering (if the client is still there). */
  readonly timeoutFaultHoldMs: number;
  /** Messages kept for `GET /sim/messages` and idempotency keys kept; the oldest go first. */
  readonly maxStoredMessages: number;
  /** How long a 10DLC review (brand, campaign, number assignment) takes before its decision. */
  readonly trustReviewDelayMs: number;
  /**
   * Throughput caps on received sends (CARRIER_SIM_SEND_CAPS, e.g. `sender_per_minute=60`;
   * CARRIER_SIM_SEND_CAP_UNIT `message` or `part`): a send over one is refused with 429 / 40318.
   * None by default.
   */
  readonly sendCaps: readonly SendCap[];
}

export const defaultCarrierSimSettings: CarrierSimSettings = Object.freeze({
  host: '127.0.0.1',
  port: 4010,
  numbers: Object.freeze(['+15555550100', '+15555550101', '+15555550102', '+18885550100']),
  acceptAnyFrom: false,
  webhookUrl: 'http://127.0.0.1:8080/webhooks/telnyx',
  deliveryDelayMs: 20,
  privateKey: undefined,
  webhookAttemptsPerUrl: 3,
  webhookRetryBaseDelayMs: 250,
  // Telnyx allows 2 s; a local stack under benchmark load gets more before a retry duplicates work.
  webhookTimeoutMs: 5_000,
  webhookConcurrency: 64,
  timeoutFaultHoldMs: 30_000,
  maxStoredMessages: 100_000,
  trustReviewDelayMs: 1_000,
  sendCaps: Object.freeze([]),
});

export class CarrierSimConfigError extends Error {
  override readonly name = 'CarrierSimConfigError';
}

const E164 = /^\+[1-9]\d{1,14}$/;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new CarrierSimConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new CarrierSimConfigError(`${name} must be true or false, got "${raw}"`);
}

function httpUrl(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    throw new CarrierSimConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
}

function numbers(env: NodeJS.ProcessEnv): readonly string[] {
  const raw = env['CARRIER_SIM_NUMBERS']?.trim();
  if (raw === undefined || raw === '') return defaultCarrierSimSettings.numbers;
  const list = raw
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const invalid = list.filter((n) => !E164.test(n));
  if (list.length === 0 || invalid.length > 0) {
    throw new CarrierSimConfigError(
      `CARRIER_SIM_NUMBERS must be comma-separated E.164 numbers; invalid: ${invalid.join(', ')}`,
    );
  }
  return Object.freeze(list);
}

function sendCaps(env: NodeJS.ProcessEnv): readonly SendCap[] {
  const raw = env['CARRIER_SIM_SEND_CAPS']?.trim() ?? '';
  const unitRaw = env['CARRIER_SIM_SEND_CAP_UNIT']?.trim() || 'message';
  if (unitRaw !== 'message' && unitRaw !== 'part') {
    throw new CarrierSimConfigError(
      `CARRIER_SIM_SEND_CAP_UNIT must be message or part, got "${unitRaw}"`,
    );
  }
  const parsed = parseSendCapsSetting(raw, unitRaw);
  if (!parsed.ok) throw new CarrierSimConfigError(`CARRIER_SIM_SEND_CAPS: ${parsed.reason}`);
  return Object.freeze(parsed.caps);
}

export function loadCarrierSimConfig(env: NodeJS.ProcessEnv = process.env): CarrierSimSettings {
  const d = defaultCarrierSimSettings;
  const privateKey = env['CARRIER_SIM_PRIVATE_KEY']?.trim();
  return Object.freeze({
    host: env['CARRIER_SIM_HOST']?.trim() || d.host,
    port: integer(env, 'CARRIER_SIM_PORT', d.port, 0),
    numbers: numbers(env),
    acceptAnyFrom: flag(env, 'CARRIER_SIM_ACCEPT_ANY_FROM', d.acceptAnyFrom),
    webhookUrl: httpUrl(env, 'CARRIER_SIM_WEBHOOK_URL', d.webhookUrl),
    deliveryDelayMs: integer(env, 'CARRIER_SIM_DELIVERY_DELAY_MS', d.deliveryDelayMs, 0),
    privateKey: privateKey === undefined || privateKey === '' ? undefined : privateKey,
    webhookAttemptsPerUrl: integer(env, 'CARRIER_SIM_WEBHOOK_ATTEMPTS', d.webhookAttemptsPerUrl, 1),
    webhookRetryBaseDelayMs: integer(
      env,
      'CARRIER_SIM_WEBHOOK_RETRY_BASE_MS',
      d.webhookRetryBaseDelayMs,
      0,
    ),
    webhookTimeoutMs: integer(env, 'CARRIER_SIM_WEBHOOK_TIMEOUT_MS', d.webhookTimeoutMs, 1),
    webhookConcurrency: integer(env, 'CARRIER_SIM_WEBHOOK_CONCURRENCY', d.webhookConcurrency, 1),
    timeoutFaultHoldMs: integer(env, 'CARRIER_SIM_TIMEOUT_FAULT_HOLD_MS', d.timeoutFaultHoldMs, 0),
    maxStoredMessages: integer(env, 'CARRIER_SIM_MAX_STORED_MESSAGES', d.maxStoredMessages, 1),
    trustReviewDelayMs: integer(env, 'CARRIER_SIM_TRUST_REVIEW_DELAY_MS', d.trustReviewDelayMs, 0),
    sendCaps: sendCaps(env),
  });
}
