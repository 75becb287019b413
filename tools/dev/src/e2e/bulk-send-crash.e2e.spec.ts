import { bulkMessageId } from '@textplane/contracts';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import {
  bulkSendWhen,
  carrierReceived,
  createBulkSend,
  createTenant,
  eventually,
  getBulkSend,
  importContacts,
  phoneRange,
  previewBulkSend,
} from './platform-client.js';

/**
 * Issue 11 §4: messaging SIGKILLed during a 5,000-recipient bulk send (five batches of 1,000)
 * and restarted. Progress is checkpointed per batch and each recipient's message id is derived
 * from (bulk send, contact), so every sendable recipient is texted exactly once: the carrier
 * simulator's log has each number once, under its bulkMessageId, and none is missing.
 */

const stack = inject('stack');
const RECIPIENTS = 5_000;

async function control(path: string): Promise<void> {
  const answer = await fetch(`${stack.controlUrl}${path}`, { method: 'POST' });
  if (answer.status !== 204) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
}

describe('messaging killed during a 5,000-recipient bulk send', () => {
  it(
    'texts every sendable recipient exactly once after the restart',
    { timeout: 420_000 },
    async () => {
      const tenant = await createTenant(stack, `bulk-crash-${randomUUID().slice(0, 8)}`);
      const phones = phoneRange(RECIPIENTS, '+1553');
      const ids = phones.map((_, i) => `k-${String(i).padStart(4, '0')}`);
      const job = await importContacts(
        stack,
        tenant,
        ids.map((id, i) => ({ id, phone: phones[i] ?? '', firstName: `K${i}` })),
      );
      expect(job.rows).toMatchObject({ upserted: RECIPIENTS, rejected: 0 });
      const body = {
        recipients: { contactIds: ids },
        message: {
          body: 'Hi {{ contact.first_name }}, your order has shipped',
          purpose: 'transactional',
        },
        delivery: { mode: 'now' },
      };
      await eventually(
        async () => {
          const preview = await previewBulkSend(stack, tenant, body);
          return preview.body.recipients?.sendable === RECIPIENTS ? true : undefined;
        },
        { what: 'the preview to see every contact', timeoutMs: 60_000 },
      );

      const created = await createBulkSend(stack, tenant, body);
      expect(created.status).toBe(202);
      expect(created.body).toMatchObject({
        recipients: { total: RECIPIENTS, sendable: RECIPIENTS },
        batches: { total: 5 },
      });
      const id = created.body.id;
      const wanted = new Set(phones);
      const bulkTexts = async () => (await carrierReceived(stack)).filter((m) => wanted.has(m.to));

      // Killed without warning once the first batch is out, while the rest is still going.
      await eventually(
        async () => {
          const bulk = await getBulkSend(stack, tenant, id);
          return bulk.body.batches?.released >= 1 ? true : undefined;
        },
        { what: 'the first batch released', timeoutMs: 60_000, intervalMs: 50 },
      );
      await control('/services/messaging/kill?signal=SIGKILL');
      const atKill = await bulkTexts();
      // The test only proves something if texts were still to go when messaging died.
      expect(atKill.length).toBeLessThan(RECIPIENTS);
      await control('/services/messaging/restart');

      const done = await bulkSendWhen(
        stack,
        tenant,
        id,
        (bulk) => bulk.status === 'completed' && bulk.messages.delivered === RECIPIENTS,
        'every recipient delivered after the restart',
        300_000,
      );
      expect(done.batches).toEqual({ total: 5, released: 5, nextAt: null });
      expect(done.messages).toMatchObject({ pending: 0, failed: 0, undelivered: 0, canceled: 0 });

      const texts = await bulkTexts();
      const perPhone = new Map<string, number>();
      for (const text of texts) perPhone.set(text.to, (perPhone.get(text.to) ?? 0) + 1);
      const duplicated = [...perPhone].filter(([, n]) => n > 1).map(([phone]) => phone);
      const missing = phones.filter((phone) => !perPhone.has(phone));
      expect({ duplicated, missing }).toEqual({ duplicated: [], missing: [] });
      expect(texts).toHaveLength(RECIPIENTS);
      const keyOf = new Map(texts.map((t) => [t.to, t.idempotency_key]));
      for (const [i, phone] of phones.entries()) {
        expect(keyOf.get(phone)).toBe(bulkMessageId(id, ids[i] ?? ''));
      }
    },
  );
});
