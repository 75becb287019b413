import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GrpcEdge } from '../grpc/grpc-edge.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import type { TransactionResource, WalletResource } from './billing-record.js';
import type { RatesResource } from './billing.application.js';
import { type BillingReads, billingGrpc } from './billing.grpc-controller.js';
import { BILLING_SERVICE_NAME, loadBillingPackage } from './billing-proto.js';
import type { UsageReport } from './usage-report.js';

/** textplane.billing.v1.BillingService on a real gRPC edge, over scripted billing reads. */

const PROTO_DIR = fileURLToPath(new URL('../../../../proto', import.meta.url));
const API_KEY = 'tp_test_billing_key_0000000000000000';
const tenant: AuthenticatedTenant = {
  tenantId: '0193a1b2-0000-7000-8000-0000000000b1',
  keyId: 'k',
};

const wallet: WalletResource = {
  currency: 'USD',
  balance: 4_966_100,
  held: 12_300,
  available: 4_953_800,
  settings: {
    autoRecharge: { enabled: true, threshold: 1_000_000, amount: 5_000_000 },
    lowBalanceThreshold: 2_000_000,
    fundsWaitLimit: 3600,
  },
  updatedAt: '2026-12-04T12:00:00.000Z',
};

const capture: TransactionResource = {
  id: '0193a1b2-0000-7000-8000-0000000000c1',
  kind: 'capture',
  amount: 33_900,
  currency: 'USD',
  at: '2026-12-04T12:00:01.000Z',
  messageId: '0193a1b2-0000-7000-8000-0000000000d1',
  bulkSendId: null,
  creditId: null,
  reference: null,
  walletAfter: { balance: 4_966_100, held: 0, available: 4_966_100 },
};

const rates: RatesResource = {
  to: '+12065550123',
  from: '+12065550100',
  fromNumberType: 'long_code',
  priced: true,
  country: 'US',
  cardVersion: 'default-2026-12',
  currency: 'USD',
  sms: {
    price: 8300,
    carrierFees: [{ carrier: 't-mobile', registered: 3000, unregistered: 3000 }],
    worstCase: 12_300,
  },
};

const usage: UsageReport = {
  from: '2026-12-03T00:00:00.000Z',
  to: '2026-12-04T00:00:00.000Z',
  groupBy: 'channel',
  rows: [
    {
      key: 'sms',
      currency: 'USD',
      count: 2,
      segments: 4,
      amount: 45_200,
      carrierFees: 12_000,
      lookups: 0,
    },
  ],
};

/** The queries each read was handed, to check the request's mapping onto the REST use cases. */
let asked: unknown[] = [];
const reads: BillingReads = {
  wallet: () => Promise.resolve(wallet),
  transactions: (_tenant, query) => {
    asked.push(query);
    return Promise.resolve({ data: [capture], nextCursor: 'next-1' });
  },
  rates: (_tenant, query) => {
    asked.push(query);
    if (query.to === 'nope') {
      return Promise.reject(ApiError.invalid('bad', [{ field: 'to', message: 'must be E.164' }]));
    }
    return Promise.resolve(rates);
  },
  usage: (_tenant, query) => {
    asked.push(query);
    if (query.groupBy === 'week') {
      return Promise.reject(
        ApiError.invalid('groupBy is not valid', [{ field: 'groupBy', message: 'must be one of' }]),
      );
    }
    return Promise.resolve(usage);
  },
};

const service = loadBillingPackage(PROTO_DIR)[
  BILLING_SERVICE_NAME
] as protoLoader.ServiceDefinition;
const method = (name: string) => {
  const found = service[name];
  if (!found) throw new Error(`no method ${name}`);
  return found;
};

let edge: GrpcEdge;
let client: grpc.Client;

beforeAll(async () => {
  edge = await GrpcEdge.start({
    contexts: [billingGrpc(PROTO_DIR, reads)],
    authenticator: {
      authenticate: (key: string) => Promise.resolve(key === API_KEY ? tenant : null),
    },
    port: 0,
    host: '127.0.0.1',
    shutdownTimeoutMs: 3000,
  });
  client = new grpc.Client(`127.0.0.1:${edge.port}`, grpc.credentials.createInsecure());
});

beforeEach(() => {
  asked = [];
});

afterAll(async () => {
  client.close();
  await edge.stop();
});

function call<T = unknown>(name: string, request: object, apiKey: string | null = API_KEY) {
  const definition = method(name);
  const metadata = new grpc.Metadata();
  if (apiKey !== null) metadata.set('authorization', `Bearer ${apiKey}`);
  return new Promise<T>((resolve, reject) => {
    client.makeUnaryRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      request,
      metadata,
      (error, response) => (error ? reject(error) : resolve(response as T)),
    );
  });
}

async function failure(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error('the call succeeded');
}

describe('textplane.billing.v1.BillingService', () => {
  it('GetWallet: the wallet in micro-units (int64), its settings', async () => {
    // toMatchObject: proto-loader adds the synthetic oneof of an optional field beside it.
    expect(await call('GetWallet', {})).toMatchObject({
      wallet: {
        currency: 'USD',
        balance_micros: '4966100',
        held_micros: '12300',
        available_micros: '4953800',
        settings: {
          auto_recharge: { enabled: true, threshold_micros: '1000000', amount_micros: '5000000' },
          low_balance_threshold_micros: '2000000',
          funds_wait_limit_seconds: 3600,
        },
        update_time: { seconds: '1796385600', nanos: 0 },
      },
    });
  });

  it('ListTransactions: the page and range as the REST query has them, each entry mapped', async () => {
    const answer = await call<{ transactions: unknown[]; next_page_token: string }>(
      'ListTransactions',
      { from: { seconds: '1796342400', nanos: 0 }, page_size: 500, page_token: 'p1' },
    );
    // 500 is capped at the REST maximum (200); the cursor passed on unchanged.
    expect(asked).toEqual([{ limit: 200, from: '2026-12-04T00:00:00.000Z', cursor: 'p1' }]);
    expect(answer.next_page_token).toBe('next-1');
    expect(answer.transactions).toEqual([
      expect.objectContaining({
        kind: 'capture',
        amount_micros: '33900',
        message_id: '0193a1b2-0000-7000-8000-0000000000d1',
        balance_after_micros: '4966100',
      }),
    ]);
  });

  it('ListTransactions: a negative page size is INVALID_ARGUMENT and nothing is read', async () => {
    const error = await failure(call('ListTransactions', { page_size: -1 }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(asked).toEqual([]);
  });

  it('GetRates: what the text would cost; a bad number is INVALID_ARGUMENT', async () => {
    const answer = await call<Record<string, unknown>>('GetRates', { to: '+12065550123' });
    expect(asked).toEqual([{ to: '+12065550123' }]);
    expect(answer).toMatchObject({
      priced: true,
      country: 'US',
      sms: { price_micros: '8300', worst_case_micros: '12300' },
    });
    const error = await failure(call('GetRates', { to: 'nope' }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('GetUsage: rows in micro-units; an unknown group_by is INVALID_ARGUMENT', async () => {
    const answer = await call<Record<string, unknown>>('GetUsage', { group_by: 'channel' });
    expect(asked).toEqual([{ groupBy: 'channel' }]);
    expect(answer).toMatchObject({
      group_by: 'channel',
      rows: [{ key: 'sms', count: '2', segments: '4', amount_micros: '45200' }],
    });
    const error = await failure(call('GetUsage', { group_by: 'week' }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('refuses a call without the API key', async () => {
    const error = await failure(call('GetWallet', {}, null));
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});
