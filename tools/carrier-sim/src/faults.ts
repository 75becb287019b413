/**
 * Failures armed by tests through `POST /sim/faults`.
 *
 * - `http_500`, `http_429`: the send is refused (nothing recorded, nothing sent).
 * - `timeout`: the send is accepted (recorded, webhooks follow) but the answer is withheld, the
 *   case where a client cannot know whether the carrier took the message.
 * - `delivery_failed`, `sending_failed`: the send is accepted and `message.finalized` reports
 *   that failure.
 * - `receipts_lost`: the send is accepted and delivered, but no webhook reports it (only
 *   `GET /v2/messages/{id}` tells), as when every receipt was lost on its way.
 */
export const faultModes = [
  'http_500',
  'http_429',
  'timeout',
  'delivery_failed',
  'sending_failed',
  'receipts_lost',
] as const;

export type FaultMode = (typeof faultModes)[number];

export interface FaultRule {
  readonly mode: FaultMode;
  /** Sends still to fail. */
  readonly remaining: number;
  /** Only sends to this number; all sends when absent. */
  readonly to?: string;
}

export type FaultRuleParse =
  { readonly ok: true; readonly rule: FaultRule } | { readonly ok: false; readonly reason: string };

function isFaultMode(value: unknown): value is FaultMode {
  return typeof value === 'string' && (faultModes as readonly string[]).includes(value);
}

export function parseFaultRule(input: unknown): FaultRuleParse {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: 'body must be a JSON object' };
  }
  const { mode, count, to } = input as Record<string, unknown>;
  if (!isFaultMode(mode)) {
    return { ok: false, reason: `mode must be one of ${faultModes.join(', ')}` };
  }
  const remaining = count === undefined ? 1 : count;
  if (typeof remaining !== 'number' || !Number.isInteger(remaining) || remaining < 1) {
    return { ok: false, reason: 'count must be a positive integer' };
  }
  if (to !== undefined && typeof to !== 'string') {
    return { ok: false, reason: 'to must be a string' };
  }
  return { ok: true, rule: to === undefined ? { mode, remaining } : { mode, remaining, to } };
}

/** Armed rules, first armed first used; each matching send uses up one count. */
export class FaultBook {
  private rules: FaultRule[] = [];

  arm(rule: FaultRule): void {
    this.rules.push(rule);
  }

  /** The fault this send must suffer, if any, consuming one count of the first matching rule. */
  take(to: string): FaultMode | undefined {
    const index = this.rules.findIndex((r) => r.to === undefined || r.to === to);
    const rule = this.rules[index];
    if (!rule) return undefined;
    if (rule.remaining <= 1) this.rules.splice(index, 1);
    else this.rules[index] = { ...rule, remaining: rule.remaining - 1 };
    return rule.mode;
  }

  list(): readonly FaultRule[] {
    return [...this.rules];
  }

  clear(): void {
    this.rules = [];
  }
}
