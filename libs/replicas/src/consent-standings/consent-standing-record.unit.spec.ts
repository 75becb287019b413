import type { ConsentLedgerEvent } from '@textplane/compliance';
import { describe, expect, it } from 'vitest';
import {
  type ConsentStandingFact,
  effectiveStanding,
  evolveConsentStandingRecord,
} from './consent-standing-record.js';

const tenantId = '7d0f4c1e-9a51-4f0e-8a43-1f3b1f7c2e10';
const phone = '+12125550100';
const message = (messageId: string, receivedAt: string) => ({
  messageId,
  body: 'STOP',
  receivedAt,
});

const optOutRead = (messageId: string, receivedAt: string): ConsentStandingFact => ({
  type: 'InboundOptOutRead',
  data: { tenantId, phone, message: { messageId, receivedAt } },
});
const revokedBy = (messageId: string, at: string): ConsentLedgerEvent => ({
  type: 'consent.ConsentRevoked.v1',
  data: {
    tenantId,
    phone,
    scope: 'all',
    channel: 'all',
    method: 'keyword',
    keyword: 'STOP',
    message: message(messageId, at),
    revokedAt: at,
  },
});
const restoredBy = (messageId: string, at: string): ConsentLedgerEvent => ({
  type: 'consent.ConsentRestored.v1',
  data: { tenantId, phone, keyword: 'START', message: message(messageId, at), restoredAt: at },
});
const granted: ConsentLedgerEvent = {
  type: 'consent.ConsentGranted.v1',
  data: {
    tenantId,
    phone,
    purpose: 'marketing',
    channel: 'sms',
    evidence: {
      source: 'web_form',
      text: 'Yes, text me offers',
      capturedAt: '2026-01-01T09:59:00Z',
    },
    requestId: '0b6f2a52-0f5e-4a53-9a4e-0c1b43b6b0a1',
    grantedAt: '2026-01-01T10:00:00.000Z',
  },
};

const fold = (facts: ConsentStandingFact[]) => facts.reduce(evolveConsentStandingRecord, null);

describe('the consent-standing replica projection', () => {
  it('folds the ledger with the standing rules of @textplane/compliance', () => {
    const record = fold([granted]);
    expect(record?.standing.grants.marketing).toEqual({ sms: true, mms: false });
    expect(record?.standing.updatedAt).toBe('2026-01-01T10:00:00.000Z');
  });

  it('blocks every channel while an inbound opt-out awaits the ledger, and lets the ledger confirm it', () => {
    const pending = fold([granted, optOutRead('m1', '2026-01-01T11:00:00.000Z')]);
    expect(effectiveStanding(pending).optedOut).toEqual({ sms: true, mms: true });
    expect(pending?.standing.optedOut).toEqual({ sms: false, mms: false });

    const confirmed = evolveConsentStandingRecord(
      pending,
      revokedBy('m1', '2026-01-01T11:00:00.000Z'),
    );
    expect(confirmed.pendingOptOuts).toEqual([]);
    expect(effectiveStanding(confirmed).optedOut).toEqual({ sms: true, mms: true });
  });

  it('lifts older opt-outs on START and ignores one read again from before it', () => {
    const restored = fold([
      optOutRead('m1', '2026-01-01T11:00:00.000Z'),
      optOutRead('m3', '2026-01-01T13:00:00.000Z'),
      restoredBy('m2', '2026-01-01T12:00:00.000Z'),
    ]);
    expect(restored?.pendingOptOuts.map((p) => p.messageId)).toEqual(['m3']);
    expect(restored?.restoredThrough).toBe('2026-01-01T12:00:00.000Z');

    const replayed = evolveConsentStandingRecord(
      restored,
      optOutRead('m1', '2026-01-01T11:00:00.000Z'),
    );
    expect(replayed).toBe(restored);
  });

  it('returns the same record for a fact that changes nothing, so nothing is written', () => {
    const record = fold([granted]);
    const help: ConsentLedgerEvent = {
      type: 'consent.HelpRequested.v1',
      data: {
        tenantId,
        phone,
        keyword: 'HELP',
        message: message('m9', '2026-01-01T12:00:00.000Z'),
        requestedAt: '2026-01-01T12:00:00.000Z',
      },
    };
    expect(evolveConsentStandingRecord(record, help)).toBe(record);
    const duplicate = fold([optOutRead('m1', '2026-01-01T11:00:00.000Z')]);
    expect(
      evolveConsentStandingRecord(duplicate, optOutRead('m1', '2026-01-01T11:00:00.000Z')),
    ).toBe(duplicate);
  });
});
