import { describe, expect, it } from 'vitest';
import {
  type ConsentLedgerEvent,
  describeStanding,
  evolveConsentStanding,
  noConsent,
} from './consent-standing.js';

const tenantId = '0190a8f4-3c2b-7d4e-8f00-000000000001';
const phone = '+14155550100';
const requestId = '0190a8f4-3c2b-7d4e-8f00-000000000002';
const message = {
  messageId: '0190a8f4-3c2b-7d4e-8f00-000000000003',
  body: 'STOP',
  receivedAt: '2026-11-26T12:01:00.000Z',
};
const evidence = {
  source: 'web_form' as const,
  text: 'Yes, text me offers from Acme.',
  capturedAt: '2026-11-26T11:00:00.000Z',
};

const fold = (events: ConsentLedgerEvent[]) => events.reduce(evolveConsentStanding, noConsent);

const granted = (purpose: 'marketing' | 'transactional', channel: 'sms' | 'mms' | 'all') =>
  ({
    type: 'consent.ConsentGranted.v1',
    data: {
      tenantId,
      phone,
      purpose,
      channel,
      evidence,
      requestId,
      grantedAt: '2026-11-26T12:00:00.000Z',
    },
  }) as const;
const stop = {
  type: 'consent.ConsentRevoked.v1',
  data: {
    tenantId,
    phone,
    scope: 'all',
    channel: 'all',
    method: 'keyword',
    keyword: 'STOP',
    message,
    revokedAt: '2026-11-26T12:01:00.000Z',
  },
} as const;
const start = {
  type: 'consent.ConsentRestored.v1',
  data: { tenantId, phone, keyword: 'START', message, restoredAt: '2026-11-26T12:02:00.000Z' },
} as const;

describe('consent standing', () => {
  it('allows transactional texts without a grant and marketing only with one', () => {
    const view = describeStanding(noConsent);
    expect(view.transactional.sms).toEqual({ consented: false, allowed: true });
    expect(view.marketing.sms).toEqual({ consented: false, allowed: false });
    const marketing = describeStanding(fold([granted('marketing', 'sms')]));
    expect(marketing.marketing.sms).toEqual({ consented: true, allowed: true });
    expect(marketing.marketing.mms).toEqual({ consented: false, allowed: false });
  });

  it('an opt-out stops everything and START brings back the consents held before it', () => {
    const optedOut = fold([granted('marketing', 'all'), stop]);
    expect(optedOut.optedOut).toEqual({ sms: true, mms: true });
    expect(describeStanding(optedOut).transactional.sms.allowed).toBe(false);
    expect(describeStanding(optedOut).marketing.mms.allowed).toBe(false);
    const restored = fold([granted('marketing', 'all'), stop, start]);
    expect(restored.optedOut).toEqual({ sms: false, mms: false });
    expect(describeStanding(restored).marketing.mms).toEqual({ consented: true, allowed: true });
  });

  it('withdrawing marketing consent on one channel leaves the other and transactional texts', () => {
    const standing = fold([
      granted('marketing', 'all'),
      {
        type: 'consent.ConsentRevoked.v1',
        data: {
          tenantId,
          phone,
          scope: 'marketing',
          channel: 'mms',
          method: 'api',
          requestId,
          revokedAt: '2026-11-26T12:03:00.000Z',
        },
      },
    ]);
    const view = describeStanding(standing);
    expect(view.marketing.sms.allowed).toBe(true);
    expect(view.marketing.mms.allowed).toBe(false);
    expect(view.transactional.mms.allowed).toBe(true);
  });

  it('DND is per channel and clears', () => {
    const set = {
      type: 'consent.DndSet.v1',
      data: { tenantId, phone, channel: 'sms', requestId, setAt: '2026-11-26T12:04:00.000Z' },
    } as const;
    const dnd = fold([set]);
    expect(describeStanding(dnd).transactional.sms.allowed).toBe(false);
    expect(describeStanding(dnd).transactional.mms.allowed).toBe(true);
    const cleared = fold([
      set,
      {
        type: 'consent.DndCleared.v1',
        data: { tenantId, phone, channel: 'all', requestId, clearedAt: '2026-11-26T12:05:00.000Z' },
      },
    ]);
    expect(cleared.dnd).toEqual({ sms: false, mms: false });
  });
});
