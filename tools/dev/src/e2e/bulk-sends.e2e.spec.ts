import { bulkMessageId } from '@textplane/contracts';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import {
  bearer,
  type BulkSend,
  bulkRecipients,
  bulkSendWhen,
  call,
  carrierReceived,
  controlBulkSend,
  createBulkSend,
  createTenant,
  eventually,
  getBulkSend,
  idempotencyKey,
  importContacts,
  listBulkSends,
  phoneRange,
  previewBulkSend,
  type SimMessage,
  type TestTenant,
} from './platform-client.js';

/**
 * Issue 11 §4, end to end through REST and the carrier simulator: a bulk send "now" to 1,000
 * imported contacts (opted-out, DND and a duplicate phone among them), a drip whose texts reach
 * the carrier inside their batches, pause/resume and cancel. The SIGKILL case is
 * bulk-send-crash.e2e.spec.ts; "a workflow step sent twice → one text" is
 * workflow-action.e2e.spec.ts. Every test has its own tenant and its own numbers, and uses as
 * few messages as proves its property.
 */

const stack = inject('stack');
const enc = encodeURIComponent;

const TRANSACTIONAL = {
  body: 'Order update for {{ contact.first_name }}',
  purpose: 'transactional',
};

const EVIDENCE = {
  source: 'web_form',
  text: 'Yes, send me offers from Cancel Co by text. Reply STOP to opt out.',
  capturedAt: new Date(Date.now() - 60_000).toISOString(),
  checkboxDefaultUnchecked: true,
};

/** The carrier's log for these numbers only (the simulator is shared by every e2e file). */
async function atCarrier(phones: Iterable<string>): Promise<SimMessage[]> {
  const wanted = new Set(phones);
  return (await carrierReceived(stack)).filter((m) => wanted.has(m.to));
}

async function waitAtCarrier(phones: readonly string[], count: number, what: string) {
  return eventually(
    async () => {
      const seen = await atCarrier(phones);
      return seen.length >= count ? seen : undefined;
    },
    { what, timeoutMs: 60_000, intervalMs: 200 },
  );
}

/** A whole second a few seconds ahead: a drip's startAt that a POST made now still precedes. */
function startSoon(seconds: number): string {
  return new Date(Math.ceil(Date.now() / 1_000) * 1_000 + seconds * 1_000).toISOString();
}

async function sleepUntil(epochMs: number): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

async function tenantWith(
  name: string,
  count: number,
  prefix: string,
): Promise<{ tenant: TestTenant; ids: string[]; phones: string[] }> {
  const tenant = await createTenant(stack, `${name}-${randomUUID().slice(0, 8)}`);
  const phones = phoneRange(count, prefix);
  const ids = phones.map((_, i) => `c-${String(i).padStart(4, '0')}`);
  const job = await importContacts(
    stack,
    tenant,
    ids.map((id, i) => ({ id, phone: phones[i] ?? '', firstName: `P${i}` })),
  );
  expect(job.rows).toMatchObject({ upserted: count, rejected: 0 });
  return { tenant, ids, phones };
}

/**
 * Waits until the preview of the same recipients and message (sent now) sees them all: the
 * gateway's read models have every contact and consent fact. A drip's startAt is picked after.
 */
async function previewSees(
  tenant: TestTenant,
  body: { recipients: unknown; message: unknown },
  sendable: number,
) {
  return eventually(
    async () => {
      const preview = await previewBulkSend(stack, tenant, { ...body, delivery: { mode: 'now' } });
      return preview.status === 200 && preview.body.recipients.sendable === sendable
        ? preview.body
        : undefined;
    },
    { what: `the preview to see ${sendable} sendable recipients`, timeoutMs: 60_000 },
  );
}

const finished = (bulk: BulkSend): boolean =>
  bulk.status === 'completed' &&
  bulk.messages.pending + bulk.messages.scheduled + bulk.messages.queued + bulk.messages.sending ===
    0 &&
  bulk.messages.sent === 0;

describe('a bulk send "now" to 1,000 imported contacts', () => {
  it('texts everyone once but the opted-out and DND ones and the duplicate phone, each with its reason; the counts agree', async () => {
    const tenant = await createTenant(stack, `bulk-now-${randomUUID().slice(0, 8)}`);
    const tag = `run-${randomUUID().slice(0, 8)}`;
    const phones = phoneRange(999, '+1556');
    const optedOut = phones.slice(10, 15);
    const dnd = phones.slice(20, 25);
    // Consent first: its facts reach messaging while the contacts are imported.
    for (const phone of optedOut) {
      const revoked = await call(
        `${stack.urls.gatewayHttp}/v1/consents/${enc(phone)}/revocations`,
        {
          headers: bearer(tenant),
          body: { scope: 'all', method: 'support_agent' },
        },
      );
      expect(revoked.status).toBe(201);
    }
    for (const phone of dnd) {
      const set = await call(`${stack.urls.gatewayHttp}/v1/consents/${enc(phone)}/dnd/sms`, {
        method: 'PUT',
        headers: bearer(tenant),
      });
      expect(set.status).toBe(201);
    }
    // 1,000 rows: the last shares the first one's phone (ids sort in row order too).
    const rows = phones.map((phone, i) => ({
      id: `c-${String(i).padStart(4, '0')}`,
      phone,
      firstName: `P${i}`,
      tags: [tag],
    }));
    rows.push({ id: 'c-0999', phone: phones[0] ?? '', firstName: 'Dup', tags: [tag] });
    const job = await importContacts(stack, tenant, rows);
    expect(job.rows).toMatchObject({ read: 1_000, upserted: 1_000, rejected: 0 });

    const body = {
      recipients: { tags: { all: [tag] } },
      message: TRANSACTIONAL,
      delivery: { mode: 'now' },
    };
    const preview = await eventually(
      async () => {
        const answer = await previewBulkSend(stack, tenant, body);
        const { recipients } = answer.body;
        return answer.status === 200 &&
          recipients.total === 1_000 &&
          recipients.blocked['recipient_opted_out'] === 5 &&
          recipients.blocked['dnd_active'] === 5
          ? answer.body
          : undefined;
      },
      { what: 'the preview to see the contacts and the consent facts', timeoutMs: 60_000 },
    );
    expect(preview.recipients).toEqual({
      total: 1_000,
      sendable: 989,
      blocked: { recipient_opted_out: 5, dnd_active: 5 },
      skipped: { duplicate_phone: 1, missing_merge_value: 0 },
      held: { quiet_hours_held: 0 },
    });

    const key = idempotencyKey();
    const created = await createBulkSend(stack, tenant, body, key);
    expect(created.status).toBe(202);
    expect(['scheduled', 'running', 'completed']).toContain(created.body.status);
    expect(created.body).toMatchObject({
      pausedReason: null,
      message: { body: TRANSACTIONAL.body, purpose: 'transactional' },
      delivery: { mode: 'now' },
      recipients: {
        total: 1_000,
        sendable: 999,
        skipped: { duplicate_phone: 1, missing_merge_value: 0 },
      },
      batches: { total: 1 },
      canceledAt: null,
    });
    const id = created.body.id;
    const replayed = await createBulkSend(stack, tenant, body, key);
    expect([replayed.status, replayed.body.id]).toEqual([202, id]);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');

    const done = await bulkSendWhen(
      stack,
      tenant,
      id,
      (bulk) => finished(bulk) && bulk.messages.delivered + bulk.messages.blocked === 999,
      'the bulk send to complete with every message final',
      120_000,
    );
    expect(done.messages).toEqual({
      pending: 0,
      scheduled: 0,
      queued: 0,
      sending: 0,
      sent: 0,
      delivered: 989,
      undelivered: 0,
      failed: 0,
      blocked: 10,
      canceled: 0,
    });
    expect(done.blocked).toEqual({ recipient_opted_out: 5, dnd_active: 5 });
    expect(done.batches).toEqual({ total: 1, released: 1, nextAt: null });
    expect(done.recipients).toEqual(created.body.recipients);
    expect(done.completedAt).not.toBeNull();
    expect(done.eta).toBeNull();

    // Each recipient in recipient order, with its message (bulkMessageId) and its reason.
    const recipients = await bulkRecipients(stack, tenant, id);
    expect(recipients.map((r) => r.position)).toEqual(rows.map((_, i) => i));
    expect(recipients.map((r) => [r.contactId, r.phone])).toEqual(rows.map((r) => [r.id, r.phone]));
    const reasonOf = new Map([
      ...optedOut.map((p) => [p, 'recipient_opted_out'] as const),
      ...dnd.map((p) => [p, 'dnd_active'] as const),
    ]);
    for (const row of recipients.slice(0, 999)) {
      const reason = reasonOf.get(row.phone);
      expect(row).toMatchObject({
        batch: 0,
        messageId: bulkMessageId(id, row.contactId),
        status: reason === undefined ? 'delivered' : 'blocked',
        reason: reason ?? null,
      });
    }
    expect(recipients[999]).toMatchObject({
      contactId: 'c-0999',
      batch: null,
      messageId: null,
      status: 'skipped',
      reason: 'duplicate_phone',
    });
    const blocked = await bulkRecipients(stack, tenant, id, 'blocked');
    expect(blocked.map((r) => r.phone).sort()).toEqual([...optedOut, ...dnd].sort());
    const skipped = await bulkRecipients(stack, tenant, id, 'skipped');
    expect(skipped.map((r) => r.contactId)).toEqual(['c-0999']);
    const blockedMessage = await call<{ status: string; reason: string }>(
      `${stack.urls.gatewayHttp}/v1/messages/${bulkMessageId(id, 'c-0010')}`,
      { headers: bearer(tenant) },
    );
    expect(blockedMessage.body).toMatchObject({ status: 'blocked', reason: 'recipient_opted_out' });

    // The carrier took one text per sendable number, rendered with that contact's first name,
    // and nothing for the opted-out or DND numbers.
    const texts = await atCarrier(phones);
    const perPhone = new Map<string, SimMessage[]>();
    for (const text of texts) perPhone.set(text.to, [...(perPhone.get(text.to) ?? []), text]);
    expect(texts).toHaveLength(989);
    expect(perPhone.size).toBe(989);
    for (const phone of reasonOf.keys()) expect(perPhone.has(phone)).toBe(false);
    expect(perPhone.get(phones[0] ?? '')?.map((t) => t.text)).toEqual([
      expect.stringContaining('Order update for P0'),
    ]);
    expect(perPhone.get(phones[998] ?? '')?.[0]?.text).toContain('Order update for P998');
    expect(perPhone.get(phones[5] ?? '')?.[0]).toMatchObject({
      from: tenant.sender,
      idempotency_key: bulkMessageId(id, 'c-0005'),
    });

    const listed = await listBulkSends(stack, tenant, '?status=completed');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((b) => b.id)).toEqual([id]);
  });
});

describe('a drip of 3 batches every 5 seconds', () => {
  it("puts each text at the carrier inside its batch: at or after the batch's time, before the next one", async () => {
    const { tenant, ids, phones } = await tenantWith('bulk-drip', 6, '+1557');
    const content = { recipients: { contactIds: ids }, message: TRANSACTIONAL };
    await previewSees(tenant, content, 6);
    const startAt = startSoon(4);
    const body = {
      ...content,
      delivery: { mode: 'drip', startAt, batchSize: 2, every: { value: 5, unit: 'seconds' } },
    };
    const previewed = await previewBulkSend(stack, tenant, body);
    expect(previewed.status).toBe(200);
    const preview = previewed.body;
    const start = Date.parse(startAt);
    const at = [start, start + 5_000, start + 10_000];
    expect(preview.delivery).toMatchObject({
      totalBatches: 3,
      lastAt: new Date(at[2] ?? 0).toISOString(),
    });
    expect(preview.delivery.batches?.map((b) => [b.index, Date.parse(b.at), b.size])).toEqual([
      [0, at[0], 2],
      [1, at[1], 2],
      [2, at[2], 2],
    ]);

    const created = await createBulkSend(stack, tenant, body);
    expect(created.status).toBe(202);
    expect(Date.now()).toBeLessThan(start);
    expect(['scheduled', 'running']).toContain(created.body.status);
    expect(created.body).toMatchObject({
      delivery: {
        mode: 'drip',
        batchSize: 2,
        every: { value: 5, unit: 'seconds' },
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        window: { start: '00:00', end: '24:00' },
        timeZone: 'America/Chicago',
      },
      batches: { total: 3, released: 0 },
      messages: { pending: 6 },
    });
    expect(Date.parse(String(created.body.delivery['startAt']))).toBe(start);
    expect(Date.parse(created.body.batches.nextAt ?? '')).toBe(at[0]);
    expect(Date.parse(created.body.eta ?? '')).toBe(at[2]);
    const id = created.body.id;

    const before = await bulkRecipients(stack, tenant, id);
    expect(before.map((r) => [r.batch, r.status, r.reason, r.messageId])).toEqual(
      [0, 0, 1, 1, 2, 2].map((batch) => [batch, 'pending', 'drip_batch', null]),
    );

    const done = await bulkSendWhen(
      stack,
      tenant,
      id,
      (bulk) => finished(bulk) && bulk.messages.delivered === 6,
      'the drip to complete with every text delivered',
    );
    expect(done.batches).toEqual({ total: 3, released: 3, nextAt: null });

    const texts = await atCarrier(phones);
    expect(texts).toHaveLength(6);
    for (const [i, phone] of phones.entries()) {
      const batch = Math.floor(i / 2);
      const text = texts.find((t) => t.to === phone);
      const received = Date.parse(text?.received_at ?? '');
      expect(received, `contact ${i} (batch ${batch})`).toBeGreaterThanOrEqual(at[batch] ?? 0);
      if (batch < 2) {
        expect(received, `contact ${i} (batch ${batch})`).toBeLessThan(at[batch + 1] ?? 0);
      }
    }
  });
});

describe('pause and resume', () => {
  it('sends nothing more while paused; resume continues with the cadence from the resume', async () => {
    const { tenant, ids, phones } = await tenantWith('bulk-pause', 3, '+1558');
    const content = { recipients: { contactIds: ids }, message: TRANSACTIONAL };
    await previewSees(tenant, content, 3);
    const startAt = startSoon(3);
    const every = 10_000;
    const body = {
      ...content,
      delivery: { mode: 'drip', startAt, batchSize: 1, every: { value: 10, unit: 'seconds' } },
    };
    const created = await createBulkSend(stack, tenant, body);
    expect(created.status).toBe(202);
    const id = created.body.id;
    const start = Date.parse(startAt);

    await waitAtCarrier(phones, 1, 'the first batch at the carrier');
    const paused = await controlBulkSend(stack, tenant, id, 'pause');
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id, status: 'paused', pausedReason: 'user' });
    expect(Date.now()).toBeLessThan(start + every);
    const again = await controlBulkSend(stack, tenant, id, 'pause');
    expect([again.status, again.body.code]).toEqual([409, 'bulk_send_not_running']);

    // Past the second batch's time (and some): nothing more reaches the carrier.
    await sleepUntil(start + every + 4_000);
    expect((await atCarrier(phones)).map((t) => t.to)).toEqual([phones[0]]);
    const held = await getBulkSend(stack, tenant, id);
    expect(held.body).toMatchObject({
      status: 'paused',
      pausedReason: 'user',
      batches: { total: 3, released: 1 },
      messages: { pending: 2, delivered: 1 },
    });
    const waiting = await bulkRecipients(stack, tenant, id, 'pending');
    expect(waiting.map((r) => r.contactId)).toEqual([ids[1], ids[2]]);

    const resumeSentAt = Date.now();
    const resumed = await controlBulkSend(stack, tenant, id, 'resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ id, pausedReason: null });
    expect(['running', 'scheduled']).toContain(resumed.body.status);
    const notPaused = await controlBulkSend(stack, tenant, id, 'resume');
    expect([notPaused.status, notPaused.body.code]).toEqual([409, 'bulk_send_not_paused']);

    const texts = await waitAtCarrier(phones, 3, 'the rest of the drip after the resume');
    const received = (phone: string | undefined) =>
      Date.parse(texts.find((t) => t.to === phone)?.received_at ?? '');
    // Batch 1 at the resume; batch 2 one interval after it (not on the old cadence).
    expect(received(phones[1])).toBeGreaterThanOrEqual(resumeSentAt);
    expect(received(phones[2])).toBeGreaterThanOrEqual(resumeSentAt + every);
    expect(texts).toHaveLength(3);
    const done = await bulkSendWhen(
      stack,
      tenant,
      id,
      (bulk) => finished(bulk) && bulk.messages.delivered === 3,
      'the resumed drip to complete',
    );
    expect(done.batches).toMatchObject({ total: 3, released: 3 });
    const late = await controlBulkSend(stack, tenant, id, 'pause');
    expect([late.status, late.body.code]).toEqual([409, 'bulk_send_finished']);
  });
});

describe('cancel', () => {
  it('releases no further batch and cancels a released message not yet sending', async () => {
    const tenant = await createTenant(stack, `bulk-cancel-${randomUUID().slice(0, 8)}`);
    // Marketing, so quiet hours apply: the second recipient lives where it is 3 a.m., and its
    // message is released with the first batch but held (scheduled) for hours.
    const [day, night, later] = phoneRange(3, '+1555');
    const contacts = [
      { id: 'c-day', phone: day ?? '', timeZone: zoneWhereItIs(13) },
      { id: 'c-night', phone: night ?? '', timeZone: zoneWhereItIs(3) },
      { id: 'c-later', phone: later ?? '', timeZone: zoneWhereItIs(13) },
    ];
    for (const { id, ...contact } of contacts) {
      const granted = await call(`${stack.urls.gatewayHttp}/v1/consents`, {
        headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
        body: { phone: contact.phone, purpose: 'marketing', channel: 'all', evidence: EVIDENCE },
      });
      expect(granted.status).toBe(201);
      const put = await call(`${stack.urls.gatewayHttp}/v1/contacts/${id}`, {
        method: 'PUT',
        headers: bearer(tenant),
        body: { ...contact, firstName: 'Sam' },
      });
      expect(put.status).toBe(201);
    }
    const phones = contacts.map((c) => c.phone);
    const content = {
      recipients: { contactIds: contacts.map((c) => c.id) },
      message: { body: 'Cancel Co: our winter sale starts tomorrow.', purpose: 'marketing' },
    };
    const preview = await previewSees(tenant, content, 3);
    expect(preview.recipients.held).toEqual({ quiet_hours_held: 1 });
    const startAt = startSoon(3);
    const body = {
      ...content,
      delivery: { mode: 'drip', startAt, batchSize: 2, every: { value: 10, unit: 'seconds' } },
    };
    const created = await createBulkSend(stack, tenant, body);
    expect(created.status).toBe(202);
    const id = created.body.id;

    await waitAtCarrier(phones, 1, 'the first batch at the carrier');
    const held = await eventually(
      async () => {
        const rows = await bulkRecipients(stack, tenant, id);
        return rows[1]?.status === 'scheduled' ? rows : undefined;
      },
      { what: 'the night recipient released as a held message' },
    );
    expect(held[1]).toMatchObject({
      contactId: 'c-night',
      batch: 0,
      messageId: bulkMessageId(id, 'c-night'),
      reason: 'quiet_hours_held',
    });
    expect(Date.parse(held[1]?.sendAt ?? '')).toBeGreaterThan(Date.now() + 3_600_000);

    const canceled = await controlBulkSend(stack, tenant, id, 'cancel');
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ id, status: 'canceled' });
    expect(canceled.body.canceledAt).not.toBeNull();
    expect(Date.now()).toBeLessThan(Date.parse(startAt) + 10_000);

    // Past the second batch's time (and some): nothing more reached the carrier.
    await sleepUntil(Date.parse(startAt) + 14_000);
    expect((await atCarrier(phones)).map((t) => t.to)).toEqual([day]);
    const after = await bulkSendWhen(
      stack,
      tenant,
      id,
      (bulk) => bulk.messages.delivered === 1 && bulk.messages.canceled === 1,
      'the sent text delivered and the held one canceled',
    );
    expect(after).toMatchObject({
      status: 'canceled',
      batches: { total: 2, released: 1, nextAt: null },
      messages: { delivered: 1, canceled: 1, scheduled: 0, queued: 0, sending: 0, sent: 0 },
      completedAt: null,
    });
    const message = await call<{ status: string }>(
      `${stack.urls.gatewayHttp}/v1/messages/${bulkMessageId(id, 'c-night')}`,
      { headers: bearer(tenant) },
    );
    expect(message.body.status).toBe('canceled');
    const rows = await bulkRecipients(stack, tenant, id);
    expect(rows.map((r) => [r.contactId, r.status, r.messageId])).toEqual([
      ['c-day', 'delivered', bulkMessageId(id, 'c-day')],
      ['c-night', 'canceled', bulkMessageId(id, 'c-night')],
      ['c-later', expect.any(String), null],
    ]);
    for (const action of ['cancel', 'pause', 'resume'] as const) {
      const refused = await controlBulkSend(stack, tenant, id, action);
      expect([action, refused.status, refused.body.code]).toEqual([
        action,
        409,
        'bulk_send_finished',
      ]);
    }
    const unknown = await controlBulkSend(stack, tenant, randomUUID(), 'cancel');
    expect(unknown.status).toBe(404);
  });
});

describe('cancel of a completed send', () => {
  it("still cancels a message waiting for its recipient's local time; then it is finished", async () => {
    const tenant = await createTenant(stack, `bulk-cancel-local-${randomUUID().slice(0, 8)}`);
    const [early, late] = phoneRange(2, '+1554');
    // 10:00 in UTC+14 is long past when it is 10:00 UTC + 1 h; 10:00 in UTC-11 is 12 h ahead.
    const contacts = [
      { id: 'c-kiritimati', phone: early ?? '', timeZone: 'Pacific/Kiritimati' },
      { id: 'c-pago-pago', phone: late ?? '', timeZone: 'Pacific/Pago_Pago' },
    ];
    for (const { id, ...contact } of contacts) {
      const put = await call(`${stack.urls.gatewayHttp}/v1/contacts/${id}`, {
        method: 'PUT',
        headers: bearer(tenant),
        body: { ...contact, firstName: 'Sam' },
      });
      expect(put.status).toBe(201);
    }
    const content = {
      recipients: { contactIds: contacts.map((c) => c.id) },
      message: { body: 'Your appointment is confirmed', purpose: 'transactional' },
    };
    await previewSees(tenant, content, 2);
    const localTime = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16);
    const lateAt = Date.parse(`${localTime}:00-11:00`);
    const created = await createBulkSend(stack, tenant, {
      ...content,
      delivery: { mode: 'schedule', localTime, timeZone: 'recipient' },
    });
    expect(created.status).toBe(202);
    const id = created.body.id;

    // One batch, released at its earliest instant (now): the send completes, one text waits.
    await waitAtCarrier([early ?? ''], 1, 'the recipient whose local time has passed');
    const completed = await bulkSendWhen(
      stack,
      tenant,
      id,
      (bulk) =>
        bulk.status === 'completed' &&
        bulk.messages.delivered === 1 &&
        bulk.messages.scheduled === 1,
      'the send completed with one message scheduled',
    );
    expect(completed.batches).toEqual({ total: 1, released: 1, nextAt: null });
    const [, waiting] = await bulkRecipients(stack, tenant, id);
    expect(waiting).toMatchObject({
      contactId: 'c-pago-pago',
      status: 'scheduled',
      messageId: bulkMessageId(id, 'c-pago-pago'),
    });
    expect(Date.parse(waiting?.sendAt ?? '')).toBe(lateAt);
    const pause = await controlBulkSend(stack, tenant, id, 'pause');
    expect([pause.status, pause.body.code]).toEqual([409, 'bulk_send_finished']);

    const canceled = await controlBulkSend(stack, tenant, id, 'cancel');
    expect(canceled.status).toBe(200);
    const after = await bulkSendWhen(
      stack,
      tenant,
      id,
      (bulk) => bulk.messages.canceled === 1,
      'the waiting message canceled',
    );
    expect(after.messages).toMatchObject({ delivered: 1, scheduled: 0, canceled: 1 });
    const message = await call<{ status: string }>(
      `${stack.urls.gatewayHttp}/v1/messages/${bulkMessageId(id, 'c-pago-pago')}`,
      { headers: bearer(tenant) },
    );
    expect(message.body.status).toBe('canceled');
    const again = await controlBulkSend(stack, tenant, id, 'cancel');
    expect([again.status, again.body.code]).toEqual([409, 'bulk_send_finished']);
    expect((await atCarrier([early ?? '', late ?? ''])).map((t) => t.to)).toEqual([early]);
  });
});

/** A fixed-offset zone where the local hour is `hour` now. */
function zoneWhereItIs(hour: number): string {
  const ahead = (hour - new Date().getUTCHours() + 24) % 24;
  const offset = ahead > 11 ? ahead - 24 : ahead;
  if (offset === 0) return 'Etc/GMT';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}
