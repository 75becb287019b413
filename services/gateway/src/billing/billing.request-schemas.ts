/**
 * The billing context's request bodies (validation and the OpenAPI document). The schemas check
 * the JSON's shape (an object, each field's type, no unknown field: 400 naming the field); the
 * money rules — an integer of micro-units from 1 to 10^12, a known currency, the wallet's — are
 * @textplane/pricing's parseAmount, and a rate card's are its parseRateCard, the same functions
 * billing applies again.
 */
import { requiredText } from '../http/schema-parts.js';

/** Seconds a message may wait for funds: a minute to 30 days. */
export const FUNDS_WAIT_LIMIT_SECONDS = { min: 60, max: 30 * 24 * 60 * 60 } as const;

export const CreditWalletRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'currency', 'reference'],
  description:
    "A payment integration's successful charge, credited to the tenant's wallet. Idempotent on " +
    '`reference`: the same reference and amount again answers the first credit (200); another ' +
    'amount is refused (409 `reference_reused`).',
  properties: {
    amount: {
      type: 'number',
      description: 'Integer micro-units (1 USD = 1,000,000), from 1 to 10^12',
      examples: [1_000_000_000],
    },
    currency: { type: 'string', description: "ISO 4217, the wallet's (USD by default)" },
    reference: requiredText(200, "The payment's id in the payment integration"),
  },
} as const;

const threshold = (description: string) =>
  ({ type: 'integer', minimum: 0, maximum: 1_000_000_000_000, description }) as const;

export const UpdateWalletSettingsRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['autoRecharge', 'lowBalanceThreshold', 'fundsWaitLimit'],
  description: "The wallet's settings, whole (what is null is off).",
  properties: {
    autoRecharge: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['enabled', 'threshold', 'amount'],
          properties: {
            enabled: { type: 'boolean' },
            threshold: threshold(
              'Below this many micro-units available, billing asks the payment integration for `amount` (once per crossing)',
            ),
            amount: {
              type: 'integer',
              minimum: 1,
              maximum: 1_000_000_000_000,
              description: 'Micro-units to charge and credit',
            },
          },
        },
      ],
    },
    lowBalanceThreshold: {
      oneOf: [
        { type: 'null' },
        threshold('Below this many micro-units available, a low-balance alert (once per crossing)'),
      ],
    },
    fundsWaitLimit: {
      type: 'integer',
      minimum: FUNDS_WAIT_LIMIT_SECONDS.min,
      maximum: FUNDS_WAIT_LIMIT_SECONDS.max,
      description:
        'Seconds a message may wait for funds before it is blocked `insufficient_funds` (60 to 2,592,000; default 86,400)',
    },
  },
} as const;
