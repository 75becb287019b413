import { randomUUID } from 'node:crypto';
import { classifyReply } from '@textplane/compliance';
import type { EventDataByType } from '@textplane/contracts';
import { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { onceThroughInbox } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createMessagingHarness,
  type MessagingHarness,
  seedTenant,
} from '../../test/messaging-harness.js';
import { ConsentView } from './consent-view.js';

/**
 * Messaging's consent-standing replica (the `gate` kind of @textplane/replicas) is a projection
 * only: after a run of the real handlers (inbound STOPs read by the carrier-report handler, the
 * ledger's facts through the consents consumer), the table and the consumer's inbox emptied and
 * rebuilt through the same replica is the same, row for row. The rebuild reads messaging's own
 * stored inbound messages first (each was recorded before the ledger could confirm it), then the
 * ledger's events again, as the consumer would after a reset of its offsets.
 */

const CONSENTS_GROUP = 'messaging.consents';
let harness: MessagingHarness;
const tenantId = randomUUID();
const tenantNumber = '+12125550160';
const afternoon = Date.parse('2026-11-26T19:00:00.000Z');
const at = (minute: number): string => new Date(afternoon + minute * 60_000).toISOString();

beforeAll(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, { tenantId, number: tenantNumber });
});

afterAll(async () => {
  await harness.database.drop();
});

/** The ledger's events as the consents consumer got them, to be consumed again. */
const ledger: ConsumedEvent[] = [];
async function ledgerFact<K extends keyof EventDataByType>(
  type: K,
  phone: string,
  data: EventDataByType[K],
): Promise<void> {
  const event = consumed(type, `consent-${tenantId}-${phone}`, data);
  ledger.push(event);
  await harness.consents.handle(event);
}

/** An inbound text through the real carrier-report handler; returns its message id. */
async function inbound(from: string, text: string, minute: number): Promise<string> {
  harness.clock.current = new Date(at(minute));
  const carrierMessageId = randomUUID();
  await harness.carrierWebhooks.handle(
    consumed('gateway.CarrierWebhookReceived.v1', `carrier-message-${carrierMessageId}`, {
      webhookId: randomUUID(),
      carrier: 'telnyx',
      eventType: 'message.received',
      occurredAt: at(minute),
      payload: {
        id: carrierMessageId,
        text,
        from: { phone_number: from },
        to: [{ phone_number: tenantNumber }],
        received_at: at(minute),
      },
      receivedAt: at(minute),
    }),
  );
  const rows = await harness.database.dataSource.query<Array<{ data: { messageId: string } }>>(
    `SELECT data FROM events WHERE type = 'messaging.InboundMessageReceived.v1'
     AND data->>'from' = $1 AND data->>'receivedAt' = $2`,
    [from, at(minute)],
  );
  const messageId = rows[0]?.data.messageId;
  if (!messageId) throw new Error(`no inbound message from ${from} at ${at(minute)}`);
  return messageId;
}

const revoked = (phone: string, messageId: string, minute: number) =>
  ledgerFact('consent.ConsentRevoked.v1', phone, {
    tenantId,
    phone,
    scope: 'all',
    channel: 'all',
    method: 'keyword',
    keyword: 'STOP',
    message: { messageId, body: 'STOP', receivedAt: at(minute) },
    revokedAt: at(minute),
  });

/**
 * Every column but `updated_at`, which records when the row was written (the rebuild writes it
 * later): what a submission reads is the standing, the pending opt-outs and the latest START.
 */
async function snapshot(): Promise<unknown[]> {
  return harness.database.dataSource.query(
    `SELECT tenant_id, phone, standing, pending_opt_outs, restored_through
     FROM consent_standings ORDER BY tenant_id, phone`,
  );
}

describe("messaging's consent-standing replica, rebuilt from its events (real Postgres)", () => {
  it('is the same row for row after a run as after emptying it and replaying the events', async () => {
    const [confirmed, pending, restarted, dnd, granted] = [
      '+13055550161',
      '+13055550162',
      '+13055550163',
      '+13055550164',
      '+13055550165',
    ];
    // A STOP the ledger confirmed, and one it has not heard of yet.
    await revoked(confirmed, await inbound(confirmed, 'STOP', 1), 1);
    await inbound(pending, '  Stop. ', 2);
    // STOP, confirmed; START; then a later STOP not confirmed yet.
    await revoked(restarted, await inbound(restarted, 'STOP', 3), 3);
    const start = await inbound(restarted, 'START', 4);
    await ledgerFact('consent.ConsentRestored.v1', restarted, {
      tenantId,
      phone: restarted,
      keyword: 'START',
      message: { messageId: start, body: 'START', receivedAt: at(4) },
      restoredAt: at(4),
    });
    await inbound(restarted, 'STOP', 5);
    await ledgerFact('consent.DndSet.v1', dnd, {
      tenantId,
      phone: dnd,
      channel: 'sms',
      requestId: randomUUID(),
      setAt: at(6),
    });
    await ledgerFact('consent.ConsentGranted.v1', granted, {
      tenantId,
      phone: granted,
      purpose: 'marketing',
      channel: 'all',
      requestId: randomUUID(),
      evidence: { source: 'web_form', text: 'Yes, text me offers.', capturedAt: at(0) },
      grantedAt: at(7),
    });
    await inbound(granted, 'Thanks!', 8);

    const live = await snapshot();
    expect(live).toEqual([
      expect.objectContaining({ phone: confirmed, pending_opt_outs: [] }),
      expect.objectContaining({ phone: pending, pending_opt_outs: [expect.anything()] }),
      expect.objectContaining({
        phone: restarted,
        pending_opt_outs: [expect.objectContaining({ receivedAt: at(5) })],
        restored_through: new Date(at(4)),
      }),
      expect.objectContaining({ phone: dnd }),
      expect.objectContaining({ phone: granted, pending_opt_outs: [] }),
    ]);

    const { dataSource } = harness.database;
    await dataSource.query(`TRUNCATE consent_standings`);
    await dataSource.query(`DELETE FROM inbox WHERE consumer_group = $1`, [CONSENTS_GROUP]);
    const view = new ConsentView();
    // The inbound opt-outs, read from messaging's store as the carrier-report handler read them.
    const inboundTexts = await dataSource.query<
      Array<{ data: EventDataByType['messaging.InboundMessageReceived.v1'] }>
    >(
      `SELECT data FROM events WHERE type = 'messaging.InboundMessageReceived.v1'
       ORDER BY global_position`,
    );
    await dataSource.transaction(async (manager) => {
      for (const { data } of inboundTexts) {
        const intent = classifyReply(data.body);
        if (intent.kind !== 'opt_out' && intent.kind !== 'revocation') continue;
        await view.recordInboundOptOut(manager, data.tenantId, data.from, {
          messageId: data.messageId,
          receivedAt: data.receivedAt,
        });
      }
    });
    // The ledger's events, consumed again through the inbox by the same replica.
    const consents = onceThroughInbox(new Inbox(dataSource), CONSENTS_GROUP, (e, m) =>
      view.apply(e, m),
    );
    for (const event of ledger) await consents.handle(event);

    expect(await snapshot()).toEqual(live);
  });
});
