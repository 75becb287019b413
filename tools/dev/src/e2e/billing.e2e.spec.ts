import type * as grpc from '@grpc/grpc-js';
import { randomInt, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type * as pb from '../generated/textplane/billing/v1/billing.js';
import { apiKeyMetadata, serviceClient, type Unary, unary } from '../platform/grpc-client.js';
import {
  bearer,
  call,
  carrierReceived,
  createBulkSend,
  createTenant,
  eventually,
  fundWallet,
  getBulkSend,
  type HttpAnswer,
  idempotencyKey,
  importContacts,
  previewBulkSend,
  randomPhone,
  type TestTenant,
} from './platform-client.js';
import { withClient } from './rebuild/live-databases.js';

interface BillingClient extends grpc.Client {
  GetWallet: Unary<pb.GetWalletRequest, pb.GetWalletResponse>;
  ListTransactions: Unary<Partial<pb.ListTransactionsRequest>, pb.ListTransactionsResponse>;
}

const billingClient = (address: string) =>
  serviceClient<BillingClient>(
    'textplane/billing/v1/billing.proto' satisfies typeof pb.protobufFileName,
    'textplane.billing.v1.BillingService',
    address,
  );

const stack = inject('stack');
const api = (path: string) => `${stack.urls.gatewayHttp}${path}`;
const enc = encodeURIComponent;
const admin = () => ({ authorization: `Bearer ${stack.adminToken}` });

/** The default card (libs/pricing default-rate-card.ts), in micro-units of USD. */
const SMS_PER_SEGMENT = 8_300;
const MMS_PER_MESSAGE = 20_000;
/** The US carriers' pass-through fees per SMS segment / MMS, registered and unregistered. */
const SMS_FEES = [
  { carrier: 'att', registered: 2_000, unregistered: 4_000 },
  { carrier: 't-mobile', registered: 3_000, unregistered: 4_000 },
  { carrier: 'verizon', registered: 2_500, unregistered: 2_500 },
];
const MMS_FEES = [
  { carrier: 'att', registered: 3_500, unregistered: 3_500 },
  { carrier: 't-mobile', registered: 10_000, unregistered: 13_000 },
  { carrier: 'verizon', registered: 5_000, unregistered: 5_000 },
];

/**
 * A number libphonenumber itself places in the US (+1 206, Seattle): priced by the US rates
 * whatever rule billing applies to an unassigned area code such as randomPhone()'s +1 555.
 */
const usPhone = () => randomPhone('+1206');

interface Wallet {
  currency: string;
  balance: number;
  held: number;
  available: number;
  settings: {
    autoRecharge: { enabled: boolean; threshold: number; amount: number } | null;
    lowBalanceThreshold: number | null;
    fundsWaitLimit: number;
  };
  updatedAt: string | null;
}

interface Transaction {
  id: string;
  kind: 'credit' | 'hold' | 'capture' | 'release' | 'inbound_charge';
  amount: number;
  currency: string;
  at: string;
  messageId: string | null;
  bulkSendId: string | null;
  creditId: string | null;
  reference: string | null;
  walletAfter: { balance: number; held: number; available: number };
}

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

async function wallet(tenant: TestTenant): Promise<Wallet> {
  const answer = await call<Wallet>(api('/v1/wallet'), { headers: bearer(tenant) });
  expect(answer.status).toBe(200);
  return answer.body;
}

/** Every ledger entry of the tenant, oldest first. */
async function ledger(tenant: TestTenant): Promise<Transaction[]> {
  const entries: Transaction[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${enc(cursor)}`;
    const page = await call<{ data: Transaction[]; nextCursor: string | null }>(
      api(`/v1/wallet/transactions?limit=200${query}`),
      { headers: bearer(tenant) },
    );
    expect(page.status).toBe(200);
    entries.push(...page.body.data);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return entries.reverse();
}

/** A problem+json answer with this status and code, naming `field` when given. */
function expectProblem(
  answer: HttpAnswer<unknown>,
  status: number,
  code: string,
  field?: string,
): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  const problem = answer.body as Problem;
  expect(problem).toMatchObject({ status, code });
  if (field !== undefined) {
    expect(
      problem.errors?.map((e) => e.field),
      JSON.stringify(problem.errors),
    ).toContain(field);
  }
}

/**
 * The billing requests the gateway recorded on a stream (its event store; stream ids as
 * services/gateway/src/billing/billing.application.ts names them): what billing will act on.
 */
function recordedRequests(streamId: string): Promise<string[]> {
  return withClient(stack.databaseUrls.gateway, async (client) => {
    const { rows } = await client.query<{ type: string }>(
      `SELECT type FROM events WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
    return rows.map((row) => row.type);
  });
}
const tenantRequests = (tenant: TestTenant) =>
  recordedRequests(`billing-requests-${tenant.tenantId}`);

function putSettings(tenant: TestTenant, body: unknown) {
  return call<Wallet['settings']>(api('/v1/wallet/settings'), {
    method: 'PUT',
    headers: bearer(tenant),
    body,
  });
}

/** Waits until GET /v1/wallet shows `settings` (billing applied them), and returns the wallet. */
function walletWithSettings(tenant: TestTenant, settings: Wallet['settings']): Promise<Wallet> {
  return eventually(
    async () => {
      const now = await wallet(tenant);
      if (isDeepStrictEqual(now.settings, settings)) return now;
      throw new Error(`the wallet shows ${JSON.stringify(now.settings)}`);
    },
    { what: 'the wallet to show the settings', intervalMs: 200 },
  );
}

describe('billing: wallet, credits, rates and rate cards through the gateway', () => {
  it('shows a credit, answers the same credit again 200 without crediting twice, and refuses a bad credit recording nothing', async () => {
    const tenant = await createTenant(stack, 'Credit Co', { credit: 5_000_000 });
    expect(await wallet(tenant)).toMatchObject({
      currency: 'USD',
      balance: 5_000_000,
      held: 0,
      available: 5_000_000,
    });
    const entries = await ledger(tenant);
    expect(entries).toHaveLength(1);
    const [credit] = entries as [Transaction];
    expect(credit).toMatchObject({
      kind: 'credit',
      amount: 5_000_000,
      currency: 'USD',
      messageId: null,
      walletAfter: { balance: 5_000_000, held: 0, available: 5_000_000 },
    });
    expect(credit.reference).toEqual(expect.any(String));

    const credits = api(`/admin/v1/tenants/${tenant.tenantId}/wallet/credits`);
    const again = await call(credits, {
      headers: admin(),
      body: { amount: 5_000_000, currency: 'USD', reference: credit.reference },
    });
    expect(again).toMatchObject({
      status: 200,
      body: {
        creditId: credit.creditId,
        reference: credit.reference,
        amount: 5_000_000,
        currency: 'USD',
        status: 'posted',
      },
    });
    // The same reference with another amount is another payment: refused.
    expectProblem(
      await call(credits, {
        headers: admin(),
        body: { amount: 6_000_000, currency: 'USD', reference: credit.reference },
      }),
      409,
      'reference_reused',
      'reference',
    );

    const fresh = `e2e-bad-${randomUUID()}`;
    const bad: Array<[unknown, string]> = [
      [{ amount: 0, currency: 'USD', reference: fresh }, 'amount'],
      [{ amount: -1_000_000, currency: 'USD', reference: fresh }, 'amount'],
      [{ amount: 1_000_000.5, currency: 'USD', reference: fresh }, 'amount'],
      [{ amount: 1_000_000_000_001, currency: 'USD', reference: fresh }, 'amount'],
      [{ amount: '1000000', currency: 'USD', reference: fresh }, 'amount'],
      [{ amount: 1_000_000, currency: 'EUR', reference: fresh }, 'currency'],
      [{ amount: 1_000_000, currency: 'ZZZ', reference: fresh }, 'currency'],
      [{ amount: 1_000_000, currency: 'USD' }, 'reference'],
      [{ amount: 1_000_000, currency: 'USD', reference: fresh, note: 'x' }, 'note'],
    ];
    for (const [body, field] of bad) {
      expectProblem(await call(credits, { headers: admin(), body }), 400, 'invalid_request', field);
    }

    // None of those answers recorded a request for billing: only the first credit is there.
    expect(await tenantRequests(tenant)).toEqual(['gateway.WalletCreditRequested.v1']);
    expect(await wallet(tenant)).toMatchObject({
      balance: 5_000_000,
      held: 0,
      available: 5_000_000,
    });
    expect(await ledger(tenant)).toEqual([credit]);
  });

  describe('rates and rate cards', () => {
    let tenant: TestTenant;

    beforeAll(async () => {
      tenant = await createTenant(stack, 'Rates Co', { credit: 0 });
    });

    const rates = (query: string) => call(api(`/v1/rates?${query}`), { headers: bearer(tenant) });

    it('shows the default card: a US text from a toll-free number, Canada, a country not priced, a bad number', async () => {
      const to = usPhone();
      const us = await rates(`to=${enc(to)}&from=${enc(tenant.sender)}`);
      expect(us).toMatchObject({
        status: 200,
        body: {
          to,
          from: tenant.sender,
          fromNumberType: 'toll_free',
          priced: true,
          country: 'US',
          cardVersion: 'default',
          currency: 'USD',
          // The worst case: the price and the highest fee of any carrier, registered or not.
          sms: { price: SMS_PER_SEGMENT, carrierFees: SMS_FEES, worstCase: 8_300 + 4_000 },
          mms: { price: MMS_PER_MESSAGE, carrierFees: MMS_FEES, worstCase: 20_000 + 13_000 },
        },
      });

      // Without `from`, the tenant's default sender; a long code is priced the same.
      const byDefault = await rates(`to=${enc(to)}`);
      expect(byDefault.body).toEqual(us.body);
      const longCode = await rates(`to=${enc(to)}&from=${enc('+12065550123')}`);
      expect(longCode.body).toMatchObject({
        fromNumberType: 'long_code',
        sms: { price: SMS_PER_SEGMENT },
      });

      // Canada is priced the same, with no carrier pass-through fee.
      expect((await rates(`to=${enc('+14165550123')}`)).body).toMatchObject({
        priced: true,
        country: 'CA',
        sms: { price: SMS_PER_SEGMENT, carrierFees: [], worstCase: SMS_PER_SEGMENT },
        mms: { price: MMS_PER_MESSAGE, carrierFees: [], worstCase: MMS_PER_MESSAGE },
      });

      const uk = await rates(`to=${enc('+442079460123')}`);
      expect(uk.status).toBe(200);
      expect(uk.body).toEqual({
        to: '+442079460123',
        from: tenant.sender,
        fromNumberType: 'toll_free',
        priced: false,
        reason: 'destination_not_priced',
        country: 'GB',
        cardVersion: 'default',
        currency: 'USD',
      });

      expectProblem(await rates('to=not-a-number'), 400, 'invalid_request', 'to');
      expectProblem(await rates(''), 400, 'invalid_request', 'to');
      expectProblem(await rates(`to=${enc(to)}&from=12`), 400, 'invalid_request', 'from');
    });

    it('refuses a bad rate card publishing nothing, and publishes a card for the far future that leaves today’s prices alone', async () => {
      const version = `e2e-${randomUUID().slice(0, 8)}`;
      // Decades ahead, at an instant no other card takes effect at.
      const effectiveAt = new Date(
        Date.UTC(2090, 0, 1) + randomInt(0, 1_000_000_000) * 1_000,
      ).toISOString();
      const usRates = (price: number) =>
        ['long_code', 'toll_free', 'short_code'].flatMap((numberType) =>
          ['sms', 'mms'].flatMap((channel) =>
            ['outbound', 'inbound'].map((direction) => ({
              country: 'US',
              numberType,
              channel,
              direction,
              price: channel === 'sms' ? price : price * 2,
            })),
          ),
        );
      const card = (price: number) => ({
        version,
        effectiveAt,
        currency: 'USD',
        rates: usRates(price),
        carrierFees: [],
        lookupPrice: 3_000,
      });
      const publish = (body: unknown) =>
        call<{ version: string; status: string; alreadyPublished: boolean }>(
          api(`/admin/v1/rate-cards/${enc(version)}`),
          { method: 'PUT', headers: admin(), body },
        );

      const good = card(9_100);
      const bad: Array<[unknown, string]> = [
        // No US SMS rate for a long code.
        [{ ...good, rates: good.rates.slice(1) }, 'rates'],
        // Canada only: no US rate at all.
        [{ ...good, rates: good.rates.map((r) => ({ ...r, country: 'CA' })) }, 'rates'],
        // Two rates for the same key.
        [{ ...good, rates: [...good.rates, good.rates[0]] }, `rates.${good.rates.length}`],
        [
          { ...good, rates: [{ ...good.rates[0], price: -1 }, ...good.rates.slice(1)] },
          'rates.0.price',
        ],
        [{ ...good, effectiveAt: '2020-01-01T00:00:00Z' }, 'effectiveAt'],
        [{ ...good, version: 'another' }, 'version'],
        [{ ...good, currency: 'ZZZ' }, 'currency'],
        [
          {
            ...good,
            carrierFees: [
              { country: 'US', carrier: 'att', channel: 'sms', registration: 'registered', fee: 1 },
            ],
          },
          'carrierFees',
        ],
      ];
      for (const [body, field] of bad) {
        expectProblem(await publish(body), 400, 'invalid_request', field);
      }

      // Nothing was recorded for billing, so nothing published under the version: a card is
      // still new there.
      expect(await recordedRequests(`rate-card-requests-${version}`)).toEqual([]);
      expect(await publish(good)).toMatchObject({
        status: 202,
        body: { version, status: 'pending', alreadyPublished: false },
      });
      // Once billing published it, the same card again is a repeat.
      await eventually(
        async () => {
          const repeat = await publish(good);
          return repeat.status === 200 ? repeat.body : undefined;
        },
        { what: `billing to publish rate card ${version}`, intervalMs: 500 },
      ).then((repeat) =>
        expect(repeat).toMatchObject({ version, status: 'published', alreadyPublished: true }),
      );
      // Other content under a published version is refused.
      expectProblem(await publish(card(9_200)), 400, 'invalid_request', 'version');

      // Today's prices are still the default card's.
      expect((await rates(`to=${enc(usPhone())}`)).body).toMatchObject({
        priced: true,
        cardVersion: 'default',
        sms: { price: SMS_PER_SEGMENT },
        mms: { price: MMS_PER_MESSAGE },
      });
    });
  });

  it('accepts wallet settings (202), shows them once billing applied them, and refuses bad ones recording nothing', async () => {
    const tenant = await createTenant(stack, 'Settings Co', { credit: 0 });
    expect((await wallet(tenant)).settings).toEqual({
      autoRecharge: null,
      lowBalanceThreshold: null,
      fundsWaitLimit: 86_400,
    });
    const settings = {
      autoRecharge: { enabled: false, threshold: 2_000_000, amount: 10_000_000 },
      lowBalanceThreshold: 1_000_000,
      fundsWaitLimit: 3_600,
    };
    const accepted = await putSettings(tenant, settings);
    expect(accepted).toMatchObject({ status: 202, body: settings });
    await walletWithSettings(tenant, settings);

    const bad: Array<[unknown, string]> = [
      [{ ...settings, lowBalanceThreshold: -1 }, 'lowBalanceThreshold'],
      [{ ...settings, lowBalanceThreshold: 1.5 }, 'lowBalanceThreshold'],
      [{ ...settings, fundsWaitLimit: 30 }, 'fundsWaitLimit'],
      [{ ...settings, fundsWaitLimit: 31 * 24 * 3_600 }, 'fundsWaitLimit'],
      [{ autoRecharge: null, lowBalanceThreshold: null }, 'fundsWaitLimit'],
      [
        { ...settings, autoRecharge: { enabled: true, threshold: -5, amount: 1_000_000 } },
        'autoRecharge',
      ],
      [{ ...settings, autoRecharge: { enabled: true, threshold: 5, amount: 0 } }, 'autoRecharge'],
      [{ ...settings, fundsWaitLimitSeconds: 3_600 }, 'fundsWaitLimitSeconds'],
    ];
    for (const [body, field] of bad) {
      const answer = await putSettings(tenant, body);
      expectProblem(answer, 400, 'invalid_request');
      const fields = (answer.body as unknown as Problem).errors?.map((e) => e.field) ?? [];
      expect(
        fields.some((f) => f === field || f.startsWith(`${field}.`)),
        fields.join(),
      ).toBe(true);
    }

    // Only the first change was recorded for billing.
    expect(await tenantRequests(tenant)).toEqual(['gateway.WalletSettingsChangeRequested.v1']);
    expect((await wallet(tenant)).settings).toEqual(settings);
  });

  it('refuses a single send the wallet cannot cover with 402 insufficient_funds, and nothing reaches the carrier', async () => {
    const tenant = await createTenant(stack, 'Empty Co', { credit: 0 });
    const to = usPhone();
    const refused = await call<Problem>(api('/v1/messages'), {
      headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
      body: { to, body: 'Your code is 1234' },
    });
    expectProblem(refused, 402, 'insufficient_funds');
    const problem = refused.body;
    expect(problem).toMatchObject({
      type: 'https://docs.textplane.dev/problems/insufficient_funds',
      title: 'Payment Required',
    });
    // One segment at worst: the price and the highest fee (T-Mobile's unregistered, or AT&T's).
    expect(problem.detail).toContain(`up to ${SMS_PER_SEGMENT + 4_000} micro-units of USD`);
    expect(problem.detail).toContain('0 available');

    // Funded, a second text to the same phone goes out, and it is the only one that did.
    await fundWallet(stack, tenant, 1_000_000);
    const sent = await call(api('/v1/messages'), {
      headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
      body: { to, body: 'Your code is 5678' },
    });
    expect(sent.status).toBe(202);
    const received = await eventually(
      async () => {
        const messages = await carrierReceived(stack, to);
        return messages.length > 0 ? messages : undefined;
      },
      { what: 'the funded text at the carrier' },
    );
    expect(received).toHaveLength(1);
    expect(received[0]?.text).toContain('5678');
    expect(received[0]?.text).not.toContain('1234');
  });
});

// ---- Part B: the funds gate (messaging asks billing for holds; billing captures and releases) --

interface Message {
  id: string;
  status: string;
  reason: string | null;
  to: string;
  segments: number;
}

async function send(tenant: TestTenant, to: string, body: string): Promise<Message> {
  const answer = await call<Message>(api('/v1/messages'), {
    headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
    body: { to, body },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body;
}

function messageIn(tenant: TestTenant, id: string, statuses: readonly string[]): Promise<Message> {
  return eventually(
    async () => {
      const answer = await call<Message>(api(`/v1/messages/${id}`), { headers: bearer(tenant) });
      if (statuses.includes(answer.body.status)) return answer.body;
      throw new Error(`message ${id} is ${answer.body.status} (${answer.body.reason})`);
    },
    { what: `message ${id} to be ${statuses.join(' or ')}`, timeoutMs: 60_000, intervalMs: 250 },
  );
}

async function textFrom(phone: string, tenant: TestTenant, text: string): Promise<void> {
  const injected = await call(`${stack.urls.carrierSim}/sim/inbound`, {
    body: { from: phone, to: tenant.sender, text },
  });
  expect(injected.status).toBe(202);
}

/** Waits until the tenant's ledger satisfies `done`, and returns it (oldest first). */
function ledgerWhen(
  tenant: TestTenant,
  done: (entries: Transaction[]) => boolean,
  what: string,
): Promise<Transaction[]> {
  return eventually(
    async () => {
      const entries = await ledger(tenant);
      if (done(entries)) return entries;
      throw new Error(`the ledger is ${JSON.stringify(entries.map((e) => [e.kind, e.amount]))}`);
    },
    { what, timeoutMs: 60_000, intervalMs: 250 },
  );
}

const sum = (entries: readonly Transaction[]) => entries.reduce((t, e) => t + e.amount, 0);
const charges = (entries: readonly Transaction[]) =>
  entries.filter((e) => e.kind === 'capture' || e.kind === 'inbound_charge');

/**
 * The carrier the simulator names in its answer to a send (`to[0].carrier`, by the number's last
 * digit: tools/carrier-sim message-payload.ts), as the card's id.
 */
function simCarrierOf(phone: string): 't-mobile' | 'verizon' | 'att' {
  return (['t-mobile', 'verizon', 'att'] as const)[Number(phone.at(-1)) % 3] ?? 't-mobile';
}

const registeredFeeOf = (carrier: string): number => {
  const fee = SMS_FEES.find((f) => f.carrier === carrier);
  if (fee === undefined) throw new Error(`no SMS fee for ${carrier} on the default card`);
  return fee.registered;
};

/** A GSM-7 body of 400 characters, no link: 3 segments of 153, with the brand added too. */
const THREE_SEGMENTS = 'Your order 7731 has shipped and arrives Friday between 9 and 5. '
  .repeat(7)
  .slice(0, 399)
  .concat('.');

describe('billing: what texts cost (the funds gate)', () => {
  it('holds a 3-segment text’s worst case, captures 3 segments on acceptance, and the balance is the credit less the capture', async () => {
    const credit = 100_000;
    const tenant = await createTenant(stack, 'Segment Co', { credit });
    const to = usPhone();
    const sent = await send(tenant, to, THREE_SEGMENTS);
    expect(sent).toMatchObject({ status: 'queued', segments: 3 });
    await messageIn(tenant, sent.id, ['delivered']);

    const entries = await ledgerWhen(
      tenant,
      (all) => all.some((e) => e.messageId === sent.id && e.kind === 'capture'),
      'the capture of the 3-segment text',
    );
    const mine = entries.filter((e) => e.messageId === sent.id);
    expect(mine.map((e) => e.kind)).toEqual(['hold', 'capture']);
    const [hold, capture] = mine as [Transaction, Transaction];
    // The worst case of a verified toll-free sender (registered traffic), the carrier unknown:
    // 3 × (the price + T-Mobile's registered fee, the highest).
    const worstFee = Math.max(...SMS_FEES.map((f) => f.registered));
    expect(hold).toMatchObject({
      amount: 3 * (SMS_PER_SEGMENT + worstFee),
      walletAfter: {
        balance: credit,
        held: 3 * (SMS_PER_SEGMENT + worstFee),
        available: credit - 3 * (SMS_PER_SEGMENT + worstFee),
      },
    });
    // 3 segments, each with the registered fee of the carrier the simulator named.
    expect(capture.amount).toBe(3 * (SMS_PER_SEGMENT + registeredFeeOf(simCarrierOf(to))));
    expect(capture.walletAfter).toEqual({
      balance: credit - capture.amount,
      held: 0,
      available: credit - capture.amount,
    });
    expect(await wallet(tenant)).toMatchObject({
      balance: credit - capture.amount,
      held: 0,
      available: credit - capture.amount,
    });
    expect(entries.filter((e) => e.kind !== 'credit' && e.messageId !== sent.id)).toEqual([]);
    // The message shows what it cost, on REST and gRPC alike.
    const fee = registeredFeeOf(simCarrierOf(to));
    const cost = { amount: capture.amount, currency: 'USD', segments: 3, carrierFee: 3 * fee };
    const shown = await eventually(
      async () => {
        const answer = await call<{ cost: unknown }>(
          `${stack.urls.gatewayHttp}/v1/messages/${sent.id}`,
          { headers: bearer(tenant) },
        );
        return answer.body.cost !== null ? answer.body.cost : undefined;
      },
      { what: "the message's cost" },
    );
    expect(shown).toEqual(cost);
    // And over gRPC: the same wallet and the capture in its ledger, in micro-units.
    const client = billingClient(stack.urls.gatewayGrpc);
    try {
      const key = apiKeyMetadata(tenant.apiKey);
      const overGrpc = await unary(client.GetWallet, client, {}, key);
      expect(overGrpc.wallet).toMatchObject({
        currency: 'USD',
        balance_micros: String(credit - capture.amount),
        held_micros: '0',
      });
      const ledgerOverGrpc = await unary(client.ListTransactions, client, {}, key);
      expect(
        ledgerOverGrpc.transactions.filter((t) => t.message_id === sent.id).map((t) => t.kind),
      ).toEqual(['capture', 'hold']); // newest first, as on REST
    } finally {
      client.close();
    }
  });

  it('sends what the funds cover, keeps the rest waiting for funds, and a credit releases them', async () => {
    // Each text's worst case: one segment and the highest registered fee. T-Mobile recipients
    // (the simulator names the carrier by the last digit) are charged that fee, so a capture
    // equals its hold and frees nothing for the texts still waiting.
    const perText = SMS_PER_SEGMENT + Math.max(...SMS_FEES.map((f) => f.registered));
    const tenant = await createTenant(stack, 'Half Co', { credit: 3 * perText });
    const phones = Array.from({ length: 6 }, () => `${usPhone().slice(0, -1)}${randomInt(4) * 3}`);
    // Scheduled a moment ahead (a send for now would be refused 402 by the gateway's own look):
    // all six meet the funds gate at once.
    const sendAt = new Date(Date.now() + 2_000).toISOString();
    const sent = await Promise.all(
      phones.map(async (to) => {
        const answer = await call<Message>(api('/v1/messages'), {
          headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
          body: { to, body: 'Your order has shipped', sendAt },
        });
        expect(answer.status, JSON.stringify(answer.body)).toBe(202);
        return answer.body;
      }),
    );
    const states = () =>
      Promise.all(
        sent.map(async (m) => {
          const answer = await call<Message & { waitingFor: string | null }>(
            api(`/v1/messages/${m.id}`),
            { headers: bearer(tenant) },
          );
          return `${answer.body.status}${answer.body.waitingFor ? `:${answer.body.waitingFor}` : ''}`;
        }),
      );
    const split = await eventually(
      async () => {
        const now = (await states()).sort();
        const delivered = now.filter((s) => s === 'delivered').length;
        const waiting = now.filter((s) => s === 'queued:funds').length;
        return delivered === 3 && waiting === 3 ? now : undefined;
      },
      { what: 'three texts delivered and three waiting for funds', timeoutMs: 60_000 },
    );
    expect(split).toHaveLength(6);
    const atCarrier = async () =>
      (await Promise.all(phones.map((to) => carrierReceived(stack, to)))).flat();
    expect(await atCarrier()).toHaveLength(3);

    // Not fundWallet, which waits to see the credit available: the waiting texts take it at once.
    const credit = await call(api(`/admin/v1/tenants/${tenant.tenantId}/wallet/credits`), {
      headers: admin(),
      body: { amount: 3 * perText, currency: 'USD', reference: `top-up-${randomUUID()}` },
    });
    expect(credit.status).toBe(202);
    await eventually(
      async () => ((await states()).every((s) => s === 'delivered') ? true : undefined),
      { what: 'the three waiting texts released by the credit', timeoutMs: 60_000 },
    );
    expect(await atCarrier()).toHaveLength(6);
    expect(await wallet(tenant)).toMatchObject({ balance: 0, held: 0, available: 0 });
  });

  it('pauses a bulk send the wallet runs short for, and a credit resumes it', async () => {
    const perText = SMS_PER_SEGMENT + Math.max(...SMS_FEES.map((f) => f.registered));
    const tenant = await createTenant(stack, 'Drip Co', { credit: perText });
    const phones = Array.from({ length: 3 }, () => `${usPhone().slice(0, -1)}${randomInt(4) * 3}`);
    await importContacts(
      stack,
      tenant,
      phones.map((phone, i) => ({ id: `c-${i}`, phone })),
    );
    // One text a batch, every 3 s: the first is paid, the second is refused a hold and pauses
    // the send before the third batch is due.
    const startAt = new Date(Math.ceil(Date.now() / 1_000) * 1_000 + 2_000).toISOString();
    const body = {
      recipients: { contactIds: ['c-0', 'c-1', 'c-2'] },
      message: { body: 'Your order has shipped', purpose: 'transactional' },
      delivery: { mode: 'drip', startAt, batchSize: 1, every: { value: 3, unit: 'seconds' } },
    };
    // The preview's estimate: each text at its worst case (the highest fee, registered or not).
    const preview = await previewBulkSend(stack, tenant, body);
    expect(preview.status).toBe(200);
    const highestFee = Math.max(...SMS_FEES.flatMap((f) => [f.registered, f.unregistered]));
    expect(preview.body).toMatchObject({
      estimatedCost: { amount: 3 * (SMS_PER_SEGMENT + highestFee), currency: 'USD', notPriced: 0 },
    });
    const created = await createBulkSend(stack, tenant, body);
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const id = created.body.id;
    const paused = await eventually(
      async () => {
        const bulk = (await getBulkSend(stack, tenant, id)).body;
        return bulk.status === 'paused' ? bulk : undefined;
      },
      { what: 'the bulk send paused for funds', timeoutMs: 60_000 },
    );
    expect(paused.pausedReason).toBe('insufficient_funds');
    expect(paused.messages).toMatchObject({ delivered: 1, queued: 1, pending: 1 });

    const credit = await call(api(`/admin/v1/tenants/${tenant.tenantId}/wallet/credits`), {
      headers: admin(),
      body: { amount: 2 * perText, currency: 'USD', reference: `top-up-${randomUUID()}` },
    });
    expect(credit.status).toBe(202);
    const done = await eventually(
      async () => {
        const bulk = (await getBulkSend(stack, tenant, id)).body;
        return bulk.status === 'completed' && bulk.messages.delivered === 3 ? bulk : undefined;
      },
      { what: 'the bulk send resumed by the credit and finished', timeoutMs: 60_000 },
    );
    expect(done.pausedReason).toBeNull();
    const seen = (await Promise.all(phones.map((to) => carrierReceived(stack, to)))).flat();
    expect(seen).toHaveLength(3);
    expect(await wallet(tenant)).toMatchObject({ balance: 0, held: 0, available: 0 });
  });

  it('charges nothing for a text blocked because its recipient opted out: any hold is released whole', async () => {
    const credit = 100_000;
    const tenant = await createTenant(stack, 'Optout Co', { credit });
    const phone = usPhone();
    await textFrom(phone, tenant, 'STOP');
    await eventually(
      async () =>
        (await carrierReceived(stack, phone)).some((m) => /unsubscribed/i.test(m.text))
          ? true
          : undefined,
      { what: 'the opt-out confirmation', timeoutMs: 60_000 },
    );
    const blocked = await send(tenant, phone, 'Back in stock: the blue one');
    expect(await messageIn(tenant, blocked.id, ['blocked'])).toMatchObject({
      reason: 'recipient_opted_out',
    });

    // The STOP is charged on receipt, its confirmation when the carrier accepts it; the blocked
    // text's hold, if it had one, is released whole.
    const entries = await ledgerWhen(
      tenant,
      (all) => {
        const ofBlocked = all.filter((e) => e.messageId === blocked.id);
        return (
          all.some((e) => e.kind === 'inbound_charge') &&
          all.some((e) => e.kind === 'capture') &&
          sum(ofBlocked.filter((e) => e.kind === 'hold')) ===
            sum(ofBlocked.filter((e) => e.kind === 'release')) &&
          all.at(-1)?.walletAfter.held === 0
        );
      },
      'the STOP and its confirmation charged, nothing held',
    );
    const ofBlocked = entries.filter((e) => e.messageId === blocked.id);
    expect(ofBlocked.filter((e) => e.kind === 'capture' || e.kind === 'inbound_charge')).toEqual(
      [],
    );
    const inbound = entries.filter((e) => e.kind === 'inbound_charge');
    expect(inbound.map((e) => e.amount)).toEqual([SMS_PER_SEGMENT]);
    const captures = entries.filter((e) => e.kind === 'capture');
    // The confirmation: one segment and the fee of the carrier the simulator named.
    expect(captures).toHaveLength(1);
    expect(captures[0]?.messageId).not.toBe(blocked.id);
    expect(captures[0]?.amount).toBe(SMS_PER_SEGMENT + registeredFeeOf(simCarrierOf(phone)));
    expect(await wallet(tenant)).toMatchObject({
      balance: credit - SMS_PER_SEGMENT - sum(captures),
      held: 0,
    });
  });

  it('charges an inbound text on receipt, taking an empty wallet below zero', async () => {
    const tenant = await createTenant(stack, 'Inbound Co', { credit: 0 });
    await textFrom(usPhone(), tenant, 'Is the store open on Sunday?');
    const entries = await ledgerWhen(
      tenant,
      (all) => all.some((e) => e.kind === 'inbound_charge'),
      'the inbound charge',
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: 'inbound_charge',
      amount: SMS_PER_SEGMENT,
      currency: 'USD',
      walletAfter: { balance: -SMS_PER_SEGMENT, held: 0, available: -SMS_PER_SEGMENT },
    });
    expect(entries[0]?.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await wallet(tenant)).toMatchObject({
      balance: -SMS_PER_SEGMENT,
      held: 0,
      available: -SMS_PER_SEGMENT,
    });
  });

  it('reports usage over the day, as JSON and CSV, with the totals of the ledger’s charges', async () => {
    const tenant = await createTenant(stack, 'Usage Co', { credit: 100_000 });
    const started = new Date();
    const guest = usPhone();
    const sent = await send(tenant, guest, 'Your table is ready');
    await messageIn(tenant, sent.id, ['delivered']);
    await textFrom(usPhone(), tenant, 'On my way');
    const entries = await ledgerWhen(
      tenant,
      (all) =>
        all.some((e) => e.kind === 'capture' && e.messageId === sent.id) &&
        all.some((e) => e.kind === 'inbound_charge'),
      'the outbound capture and the inbound charge',
    );
    const charged = charges(entries);
    expect(charged).toHaveLength(2);

    const day = (at: Date) => at.toISOString().slice(0, 10);
    const from = `${day(started)}T00:00:00Z`;
    const to = `${day(new Date(Date.now() + 24 * 3_600_000))}T00:00:00Z`;
    interface UsageRow {
      key: string | null;
      currency: string;
      count: number;
      segments: number;
      amount: number;
      carrierFees: number;
      lookups: number;
    }
    const usage = (groupBy: string) =>
      call<{ groupBy: string; rows: UsageRow[] }>(
        api(`/v1/usage?from=${enc(from)}&to=${enc(to)}&groupBy=${groupBy}`),
        { headers: bearer(tenant) },
      );
    const byDay = await eventually(
      async () => {
        const answer = await usage('day');
        expect(answer.status).toBe(200);
        const count = answer.body.rows.reduce((t, r) => t + r.count, 0);
        return count === charged.length ? answer.body : undefined;
      },
      { what: 'usage to count both charges' },
    );
    expect(byDay.rows.map((r) => r.key)).toEqual([
      ...new Set(charged.map((e) => day(new Date(e.at)))),
    ]);
    const total = (
      rows: readonly UsageRow[],
      field: 'count' | 'segments' | 'amount' | 'carrierFees',
    ) => rows.reduce((t, r) => t + r[field], 0);
    expect(total(byDay.rows, 'amount')).toBe(sum(charged));
    expect(total(byDay.rows, 'segments')).toBe(2);
    // Both are 1-segment SMS; the carrier's fee is the outbound text's (none inbound).
    const fee = registeredFeeOf(simCarrierOf(guest));
    expect(sum(charged)).toBe(2 * SMS_PER_SEGMENT + fee);
    expect(total(byDay.rows, 'carrierFees')).toBe(fee);
    expect(byDay.rows.every((r) => r.currency === 'USD' && r.lookups === 0)).toBe(true);

    const byDirection = await usage('direction');
    const capture = charged.find((e) => e.kind === 'capture');
    expect(byDirection.body.rows).toEqual([
      expect.objectContaining({ key: 'inbound', count: 1, segments: 1, amount: SMS_PER_SEGMENT }),
      expect.objectContaining({ key: 'outbound', count: 1, segments: 1, amount: capture?.amount }),
    ]);

    const csv = await call<string>(api(`/v1/usage?from=${enc(from)}&to=${enc(to)}&groupBy=day`), {
      headers: { ...bearer(tenant), accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, ...lines] = csv.body.trimEnd().split('\r\n');
    expect(header).toBe('day,currency,count,segments,amount,carrierFees,lookups');
    expect(lines).toEqual(
      byDay.rows.map((r) =>
        [r.key, r.currency, r.count, r.segments, r.amount, r.carrierFees, r.lookups].join(','),
      ),
    );
  });
});
