import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createMessagingHarness,
  type MessagingHarness,
  seedTenant,
} from '../../../test/messaging-harness.js';

let harness: MessagingHarness;
const tenantId = randomUUID();
const tenantNumber = '+15555550100';

beforeAll(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, { tenantId, number: tenantNumber });
});

afterAll(async () => {
  await harness.database.drop();
});

function sendRequested(to: string, requestedAt: string) {
  const messageId = randomUUID();
  return consumed('gateway.SendRequested.v1', `send-request-${messageId}`, {
    messageId,
    tenantId,
    to,
    from: tenantNumber,
    body: 'Hello',
    mediaUrls: [],
    purpose: 'conversational',
    encoding: 'GSM-7',
    segments: 1,
    requestedAt,
  });
}

async function conversation(contact: string) {
  const rows = await harness.database.dataSource.query<
    Array<{ message_count: number; last_message_id: string }>
  >(
    `SELECT message_count, last_message_id FROM conversations
     WHERE tenant_id = $1 AND contact_phone = $2`,
    [tenantId, contact],
  );
  return rows[0];
}

describe('conversation projection (real Postgres)', () => {
  it('counts a batch of messages per contact in one write, the last queued being the last', async () => {
    const [one, other] = ['+13055550101', '+13055550102'];
    const batch = [
      sendRequested(one, '2026-11-26T12:00:00.000Z'),
      sendRequested(other, '2026-11-26T12:00:01.000Z'),
      sendRequested(one, '2026-11-26T12:00:02.000Z'),
      sendRequested(one, '2026-11-26T12:00:03.000Z'),
    ];

    await harness.sendRequests.handleBatch(batch);
    // Redelivered: the inbox keeps the counts as they are.
    await harness.sendRequests.handleBatch(batch);
    await harness.sendRequests.handle(sendRequested(other, '2026-11-26T12:00:04.000Z'));

    const lastOf = (index: number) => (batch[index]?.data as { messageId: string }).messageId;
    expect(await conversation(one)).toEqual({ message_count: 3, last_message_id: lastOf(3) });
    expect(await conversation(other)).toMatchObject({ message_count: 2 });
  });
});
