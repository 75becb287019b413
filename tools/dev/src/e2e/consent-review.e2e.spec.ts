import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bearer,
  call,
  carrierReceived,
  createTenant,
  eventually,
  idempotencyKey,
  randomPhone,
  type SimMessage,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

/**
 * Replies travel inbound webhook → gateway → messaging → consent → messaging → carrier: after
 * what proves a later step was handled, this long more for anything that should not come.
 */
const SETTLE_MS = 3_000;
const PATIENCE = { timeoutMs: 60_000, intervalMs: 250 };

interface Entry {
  sequence: number;
  type: string;
  method?: string;
  reviewId?: string;
  decision?: string;
  message?: { messageId: string; body: string; receivedAt: string };
  [field: string]: unknown;
}

interface Review {
  id: string;
  phone: string;
  status: string;
  decision: string | null;
  message: { body: string };
  cue: string;
}

interface Message {
  id: string;
  status: string;
  reason: string | null;
  body: string;
}

interface Problem {
  status: number;
  code: string;
  detail: string;
}

interface Preview {
  segments: number;
  compliance: {
    verdict: string;
    reasons: string[];
    sendAt?: string;
    added?: string;
  };
}

const isOptOutConfirmation = (m: SimMessage): boolean => /unsubscribed/i.test(m.text);
const enc = encodeURIComponent;

describe('free-text revocations and the review queue, end to end', () => {
  let tenant: TestTenant;
  const api = (path: string) => `${stack.urls.gatewayHttp}${path}`;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Review Co');
  });

  async function reply(from: string, text: string): Promise<void> {
    const injected = await call(`${stack.urls.carrierSim}/sim/inbound`, {
      body: { from, to: tenant.sender, text },
    });
    expect(injected.status).toBe(202);
  }

  async function history(phone: string): Promise<Entry[]> {
    const answer = await call<{ entries: Entry[] }>(api(`/v1/consents/${enc(phone)}/history`), {
      headers: bearer(tenant),
    });
    expect(answer.status).toBe(200);
    return answer.body.entries;
  }

  function historyWith(phone: string, type: string, what: string): Promise<Entry[]> {
    return eventually(
      async () => {
        const entries = await history(phone);
        return entries.some((e) => e.type === type) ? entries : undefined;
      },
      { ...PATIENCE, what },
    );
  }

  function openReviewFor(phone: string): Promise<Review> {
    return eventually(
      async () => {
        const page = await call<{ items: Review[] }>(api('/v1/consent-reviews?status=open'), {
          headers: bearer(tenant),
        });
        return page.body.items.find((r) => r.phone === phone);
      },
      { ...PATIENCE, what: `an open review for ${phone}` },
    );
  }

  function confirmations(phone: string, count: number): Promise<SimMessage[]> {
    return eventually(
      async () => {
        const found = (await carrierReceived(stack, phone)).filter(isOptOutConfirmation);
        return found.length >= count ? found : undefined;
      },
      { ...PATIENCE, what: `${count} opt-out confirmation(s) to ${phone}` },
    );
  }

  async function send(to: string, body: string, purpose: string): Promise<Message> {
    const accepted = await call<Message>(api('/v1/messages'), {
      headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
      body: { to, body, purpose },
    });
    expect(accepted.status).toBe(202);
    return eventually(
      async () => {
        const m = await call<Message>(api(`/v1/messages/${accepted.body.id}`), {
          headers: bearer(tenant),
        });
        return ['queued', 'sending', 'scheduled'].includes(m.body.status) ? undefined : m.body;
      },
      { ...PATIENCE, what: `message ${accepted.body.id} to settle` },
    );
  }

  function resolve(reviewId: string, decision: 'revoke' | 'dismiss') {
    return call<Entry & Problem>(api(`/v1/consent-reviews/${reviewId}/resolution`), {
      headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
      body: { decision, resolvedBy: 'agent-e2e' },
    });
  }

  it('revokes on a confident free-text reply, confirms once, and blocks later sends', async () => {
    const phone = randomPhone();
    await reply(phone, 'please stop texting me');

    const entries = await historyWith(phone, 'ConsentRevoked', 'the free-text revocation');
    const revoked = entries.find((e) => e.type === 'ConsentRevoked');
    expect(revoked).toMatchObject({
      method: 'free_text',
      scope: 'all',
      channel: 'all',
      message: { body: 'please stop texting me' },
    });
    // A confident revocation is not queued for review.
    expect(entries.map((e) => e.type)).not.toContain('RevocationReviewOpened');

    const [confirmation] = await confirmations(phone, 1);
    expect(confirmation).toMatchObject({ from: tenant.sender, to: phone });
    expect(confirmation?.text).toContain('Review Co');

    const later = await send(phone, 'Your order shipped', 'transactional');
    expect(later).toMatchObject({ status: 'blocked', reason: 'recipient_opted_out' });

    await sleep(SETTLE_MS);
    const atCarrier = await carrierReceived(stack, phone);
    expect(atCarrier).toHaveLength(1);
    expect(atCarrier[0] && isOptOutConfirmation(atCarrier[0])).toBe(true);
  });

  it('queues an unsure reply for review; resolving it as revoke opts out once, and only once', async () => {
    const phone = randomPhone();
    await reply(phone, 'not interested');

    const review = await openReviewFor(phone);
    expect(review).toMatchObject({
      status: 'open',
      decision: null,
      message: { body: 'not interested' },
    });
    // Nothing is revoked or confirmed while the review is open.
    const standing = await call<{
      optedOut: { sms: boolean; mms: boolean };
      openReviewCount: number;
    }>(api(`/v1/consents/${enc(phone)}`), { headers: bearer(tenant) });
    expect(standing.body).toMatchObject({
      optedOut: { sms: false, mms: false },
      openReviewCount: 1,
    });
    expect((await carrierReceived(stack, phone)).filter(isOptOutConfirmation)).toEqual([]);

    const resolved = await resolve(review.id, 'revoke');
    expect(resolved.status).toBe(201);
    expect(resolved.body).toMatchObject({
      type: 'RevocationReviewResolved',
      reviewId: review.id,
      decision: 'revoke',
    });

    const entries = await historyWith(
      phone,
      'AutoReplyRequested',
      'the revocation after review and its confirmation request',
    );
    // The ledger also records the confirmation it asked for (AutoReplyRequested), once.
    expect(entries.map((e) => e.type)).toEqual([
      'RevocationReviewOpened',
      'RevocationReviewResolved',
      'ConsentRevoked',
      'AutoReplyRequested',
    ]);
    expect(entries[2]).toMatchObject({
      method: 'free_text',
      reviewId: review.id,
      message: { body: 'not interested' },
    });
    expect(entries[3]).toMatchObject({ kind: 'opt_out_confirmation', from: tenant.sender });
    const types = entries.map((e) => e.type);

    const [confirmation] = await confirmations(phone, 1);
    expect(confirmation).toMatchObject({ from: tenant.sender, to: phone });

    const again = await resolve(review.id, 'revoke');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('review_already_resolved');
    const dismissedLate = await resolve(review.id, 'dismiss');
    expect(dismissedLate.status).toBe(409);

    const closed = await call<{ items: Review[] }>(api('/v1/consent-reviews?status=open'), {
      headers: bearer(tenant),
    });
    expect(closed.body.items.filter((r) => r.phone === phone)).toEqual([]);

    await sleep(SETTLE_MS);
    expect((await history(phone)).map((e) => e.type)).toEqual(types);
    expect(await carrierReceived(stack, phone)).toHaveLength(1);
  });

  it('leaves the standing as it was when a review is dismissed', async () => {
    const phone = randomPhone();
    await reply(phone, 'not interested');
    const review = await openReviewFor(phone);

    const dismissed = await resolve(review.id, 'dismiss');
    expect(dismissed.status).toBe(201);
    expect(dismissed.body).toMatchObject({ type: 'RevocationReviewResolved', decision: 'dismiss' });

    const standing = await call<{
      optedOut: { sms: boolean; mms: boolean };
      openReviewCount: number;
    }>(api(`/v1/consents/${enc(phone)}`), { headers: bearer(tenant) });
    expect(standing.body).toMatchObject({
      optedOut: { sms: false, mms: false },
      openReviewCount: 0,
    });

    // Transactional messages still go out.
    const sent = await send(phone, 'Your order shipped', 'transactional');
    expect(sent.status).not.toBe('blocked');
    const atCarrier = await eventually(
      async () => {
        const all = await carrierReceived(stack, phone);
        return all.some((m) => m.text.includes('Your order shipped')) ? all : undefined;
      },
      { ...PATIENCE, what: 'the transactional message at the carrier' },
    );
    expect(atCarrier.filter(isOptOutConfirmation)).toEqual([]);

    await sleep(SETTLE_MS);
    expect((await history(phone)).map((e) => e.type)).toEqual([
      'RevocationReviewOpened',
      'RevocationReviewResolved',
    ]);
    const all = await carrierReceived(stack, phone);
    expect(all.filter(isOptOutConfirmation)).toEqual([]);
    expect(all).toHaveLength(1);
  });

  it('previews quiet hours for a consented Florida number: held to 08:00 the next day', async () => {
    // A Miami number with a valid exchange (2–9), so the area code gives zone and state.
    const phone = `+1305${randomInt(2, 10)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    const granted = await call<Entry>(api('/v1/consents'), {
      headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
      body: {
        phone,
        purpose: 'marketing',
        channel: 'all',
        evidence: {
          source: 'web_form',
          text: 'Yes, send me offers from Review Co by text. Reply STOP to opt out.',
          capturedAt: new Date(Date.now() - 60_000).toISOString(),
          checkboxDefaultUnchecked: true,
        },
      },
    });
    expect(granted.status).toBe(201);

    const preview = (at: string) =>
      call<Preview>(api('/v1/messages/preview'), {
        headers: bearer(tenant),
        body: {
          body: 'Review Co: our autumn sale starts tomorrow',
          to: phone,
          purpose: 'marketing',
          at,
        },
      });

    // 2026-11-26 20:30 EST: Florida allows marketing texts only until 20:00.
    const evening = await preview('2026-11-27T01:30:00Z');
    expect(evening.status).toBe(200);
    expect(evening.body.compliance).toMatchObject({
      verdict: 'hold',
      reasons: ['quiet_hours_held'],
      sendAt: '2026-11-27T13:00:00.000Z',
      added: 'Reply STOP to opt out.',
    });

    // At 10:00 the next morning the same message would go.
    const morning = await preview('2026-11-27T15:00:00Z');
    expect(morning.body.compliance).toMatchObject({ verdict: 'send', reasons: [] });
    expect(morning.body.compliance.sendAt).toBeUndefined();
  });
});
