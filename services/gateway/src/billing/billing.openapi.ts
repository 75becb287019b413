import {
  commonErrors,
  idempotencyKey,
  json,
  nullable,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';
import { USAGE_GROUP_BYS } from './usage-report.js';

const instant = { type: 'string', format: 'date-time' } as const;
const micros = (description: string) => ({ type: 'integer', description }) as const;
const query = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const admin = [{ adminToken: [] }];

export const billingOperations: OpenApiOperations = {
  paths: {
    '/v1/wallet': {
      get: {
        operationId: 'getWallet',
        summary: "The tenant's prepaid wallet: balance, held, available, settings",
        description:
          'Amounts are integer micro-units (1 USD = 1,000,000) of `currency`, as billing last ' +
          'reported them: `balance` = credits − charges, `held` = open holds of messages on their ' +
          'way, `available` = balance − held (inbound charges may take it below zero).',
        responses: {
          '200': { description: 'The wallet', content: json(ref('Wallet')) },
          '401': problem('Missing or invalid API key'),
        },
      },
    },
    '/v1/wallet/settings': {
      put: {
        operationId: 'updateWalletSettings',
        summary: 'Auto-recharge, the low-balance alert and the funds wait limit, whole',
        requestBody: {
          required: true,
          content: json(ref('UpdateWalletSettingsRequest')),
        },
        responses: {
          '202': {
            description: 'Recorded; billing applies the settings',
            content: json(ref('WalletSettings')),
          },
          ...commonErrors,
        },
      },
    },
    '/v1/wallet/transactions': {
      get: {
        operationId: 'listWalletTransactions',
        summary:
          "The ledger's facts, newest first: credits, holds, captures, releases, inbound charges",
        parameters: [
          query('from', 'From this instant (inclusive)', instant),
          query('to', 'Before this instant', instant),
          query('cursor', 'A page’s nextCursor, unchanged'),
          query('limit', 'Page size, 1 to 200 (default 50)', {
            type: 'integer',
            minimum: 1,
            maximum: 200,
          }),
        ],
        responses: {
          '200': {
            description: 'A page of transactions',
            content: json({
              type: 'object',
              required: ['data', 'nextCursor'],
              properties: {
                data: { type: 'array', items: ref('WalletTransaction') },
                nextCursor: nullable('string'),
              },
            }),
          },
          '400': problem('A bad instant, cursor or page size (see `errors`)'),
          '401': problem('Missing or invalid API key'),
        },
      },
    },
    '/v1/rates': {
      get: {
        operationId: 'getRates',
        summary: 'What a message would cost now, by the rate card in force',
        description:
          'Per SMS segment and per MMS message to `to` from `from` (default: the default sender), ' +
          "with the recipient carriers' pass-through fees (registered and unregistered traffic) " +
          'and the worst case (the carrier unknown: the highest fee), which is what a send holds. ' +
          'A destination the card does not price answers `priced: false`, `reason: ' +
          '"destination_not_priced"`.',
        parameters: [
          { ...query('to', 'The recipient, E.164'), required: true },
          query('from', 'The sender number, E.164 (default: the default sender)'),
        ],
        responses: {
          '200': { description: 'The rates', content: json(ref('Rates')) },
          '400': problem('A number that is not E.164'),
          '401': problem('Missing or invalid API key'),
        },
      },
    },
    '/v1/usage': {
      get: {
        operationId: 'getUsage',
        summary: 'What was charged, grouped: JSON, or CSV with Accept: text/csv',
        description:
          'Texts, SMS segments (1 per MMS), micro-units charged and carrier fees per group, from ' +
          'the captured charges in [from, to) (default: the last 30 days, at most 366). `lookups` ' +
          'is 0: number lookups are not billed yet. In CSV a cell that a spreadsheet would run ' +
          "as a formula (starting with = + - @, a tab or a carriage return) is prefixed with '.",
        parameters: [
          query('from', 'From this instant (inclusive)', instant),
          query('to', 'Before this instant (default now)', instant),
          query('groupBy', 'How to group (default day)', { enum: USAGE_GROUP_BYS }),
        ],
        responses: {
          '200': {
            description: 'The usage report',
            content: {
              ...json(ref('UsageReport')),
              'text/csv': { schema: { type: 'string' } },
            },
          },
          '400': problem('A bad instant, range or groupBy'),
          '401': problem('Missing or invalid API key'),
        },
      },
    },
    '/admin/v1/tenants/{id}/wallet/credits': {
      post: {
        operationId: 'creditWallet',
        summary: "Credit a tenant's wallet (a payment integration's successful charge)",
        description:
          'Idempotent on `reference`: the same reference and amount answers the first credit ' +
          '(200); another amount is 409 `reference_reused`. Amounts are integer micro-units from ' +
          "1 to 10^12 in the wallet's currency (USD by default).",
        security: admin,
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          idempotencyKey,
        ],
        requestBody: { required: true, content: json(ref('CreditWalletRequest')) },
        responses: {
          '200': {
            description: 'This reference was credited already',
            content: json(ref('WalletCredit')),
          },
          '202': {
            description: 'Recorded; billing posts the credit',
            content: json(ref('WalletCredit')),
          },
          ...commonErrors,
          '404': problem('No such tenant'),
          '409': problem('The reference was used with another amount (`reference_reused`)'),
        },
      },
    },
    '/admin/v1/rate-cards/{version}': {
      put: {
        operationId: 'publishRateCard',
        summary: 'Publish a rate card (versions are never edited: a change is a new version)',
        description:
          'The card (`effectiveAt`, `currency`, `rates`, `carrierFees`, `lookupPrice`, amounts in ' +
          'micro-units) is checked by @textplane/pricing’s parseRateCard: every problem named by ' +
          'its field (`rates.3.price`). The same card again answers 200 `alreadyPublished`.',
        security: admin,
        parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: json({ type: 'object' }) },
        responses: {
          '200': { description: 'Published already', content: json(ref('RateCardPublication')) },
          '202': {
            description: 'Recorded; billing publishes it',
            content: json(ref('RateCardPublication')),
          },
          ...commonErrors,
        },
      },
    },
  },
  schemas: {
    WalletSettings: {
      type: 'object',
      required: ['autoRecharge', 'lowBalanceThreshold', 'fundsWaitLimit'],
      properties: {
        autoRecharge: {
          oneOf: [
            { type: 'null' },
            {
              type: 'object',
              required: ['enabled', 'threshold', 'amount'],
              properties: {
                enabled: { type: 'boolean' },
                threshold: micros('Micro-units'),
                amount: micros('Micro-units'),
              },
            },
          ],
        },
        lowBalanceThreshold: nullable('integer'),
        fundsWaitLimit: { type: 'integer', description: 'Seconds (default 86,400)' },
      },
    },
    Wallet: {
      type: 'object',
      required: ['currency', 'balance', 'held', 'available', 'settings', 'updatedAt'],
      properties: {
        currency: { type: 'string' },
        balance: micros('Credits − charges'),
        held: micros('Open holds'),
        available: micros('balance − held'),
        settings: ref('WalletSettings'),
        updatedAt: nullable('string', { format: 'date-time' }),
      },
    },
    WalletCredit: {
      type: 'object',
      required: [
        'creditId',
        'reference',
        'amount',
        'currency',
        'status',
        'requestedAt',
        'postedAt',
      ],
      properties: {
        creditId: { type: 'string', format: 'uuid' },
        reference: { type: 'string' },
        amount: micros('Micro-units'),
        currency: { type: 'string' },
        status: { enum: ['pending', 'posted', 'rejected'] },
        requestedAt: instant,
        postedAt: nullable('string', { format: 'date-time' }),
      },
    },
    WalletTransaction: {
      type: 'object',
      required: ['id', 'kind', 'amount', 'currency', 'at', 'walletAfter'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        kind: { enum: ['credit', 'hold', 'capture', 'release', 'inbound_charge'] },
        amount: micros('Micro-units, positive; `kind` says which way they moved'),
        currency: { type: 'string' },
        at: instant,
        messageId: nullable('string', { format: 'uuid' }),
        bulkSendId: nullable('string', { format: 'uuid' }),
        creditId: nullable('string', { format: 'uuid' }),
        reference: nullable('string'),
        walletAfter: {
          type: 'object',
          properties: {
            balance: { type: 'integer' },
            held: { type: 'integer' },
            available: { type: 'integer' },
          },
        },
      },
    },
    ChannelRates: {
      type: 'object',
      required: ['price', 'carrierFees', 'worstCase'],
      properties: {
        price: micros('Per SMS segment or per MMS message'),
        carrierFees: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              carrier: { type: 'string' },
              registered: { type: 'integer' },
              unregistered: { type: 'integer' },
            },
          },
        },
        worstCase: micros('Price + the highest fee: what a send holds per unit'),
      },
    },
    Rates: {
      type: 'object',
      required: ['to', 'from', 'fromNumberType', 'priced', 'country', 'cardVersion', 'currency'],
      properties: {
        to: { type: 'string' },
        from: { type: 'string' },
        fromNumberType: { enum: ['long_code', 'toll_free', 'short_code'] },
        priced: { type: 'boolean' },
        reason: { enum: ['destination_not_priced'] },
        country: nullable('string'),
        cardVersion: nullable('string'),
        currency: nullable('string'),
        sms: ref('ChannelRates'),
        mms: ref('ChannelRates'),
      },
    },
    UsageReport: {
      type: 'object',
      required: ['from', 'to', 'groupBy', 'rows'],
      properties: {
        from: instant,
        to: instant,
        groupBy: { enum: USAGE_GROUP_BYS },
        rows: {
          type: 'array',
          items: {
            type: 'object',
            required: ['key', 'currency', 'count', 'segments', 'amount', 'carrierFees', 'lookups'],
            properties: {
              key: nullable('string'),
              currency: { type: 'string' },
              count: { type: 'integer' },
              segments: { type: 'integer' },
              amount: micros('Micro-units charged'),
              carrierFees: micros('Of which carrier fees'),
              lookups: {
                type: 'integer',
                description: 'Number lookups charged: 0, not billed yet',
              },
            },
          },
        },
      },
    },
    RateCardPublication: {
      type: 'object',
      required: ['version', 'status', 'alreadyPublished', 'card'],
      properties: {
        version: { type: 'string' },
        status: { enum: ['pending', 'published'] },
        alreadyPublished: { type: 'boolean' },
        card: { type: 'object' },
      },
    },
  },
};
