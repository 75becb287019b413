import {
  type ConsentLedgerEvent,
  type ConsentStanding,
  evolveConsentStanding,
  noConsent,
} from '@textplane/compliance';

/** An opt-out read from an inbound reply that the consent ledger has not confirmed yet. */
export interface PendingOptOut {
  messageId: string;
  receivedAt: string;
}

/**
 * A service's own reading of an inbound reply as an opt-out (messaging's, before the ledger has
 * heard of it): it blocks the number until the ledger confirms or a later START lifts it.
 */
export interface InboundOptOutRead {
  type: 'InboundOptOutRead';
  data: { tenantId: string; phone: string; message: PendingOptOut };
}

/** What a consent-standing replica folds: the ledger's facts, and inbound opt-outs read locally. */
export type ConsentStandingFact = ConsentLedgerEvent | InboundOptOutRead;

/** One (tenant, phone) of the replica. */
export interface ConsentStandingRecord {
  readonly standing: ConsentStanding;
  readonly pendingOptOuts: readonly PendingOptOut[];
  /** When the person's latest START was sent (ISO): an opt-out read from an older text is stale. */
  readonly restoredThrough: string | null;
}

export const noConsentStandingRecord: ConsentStandingRecord = {
  standing: noConsent,
  pendingOptOuts: [],
  restoredThrough: null,
};

/**
 * The projection of one fact, pure. Returns `record` itself when the fact changes nothing, so a
 * replica can skip the write.
 */
export function evolveConsentStandingRecord(
  record: ConsentStandingRecord | null,
  fact: ConsentStandingFact,
): ConsentStandingRecord {
  const current = record ?? noConsentStandingRecord;
  if (fact.type === 'InboundOptOutRead') {
    const { message } = fact.data;
    if (current.pendingOptOuts.some((p) => p.messageId === message.messageId)) return current;
    // Read again after a START it preceded (a replay, or texts processed out of order).
    if (
      current.restoredThrough !== null &&
      Date.parse(message.receivedAt) <= Date.parse(current.restoredThrough)
    ) {
      return current;
    }
    return { ...current, pendingOptOuts: [...current.pendingOptOuts, message] };
  }
  const standing = evolveConsentStanding(current.standing, fact);
  let { pendingOptOuts, restoredThrough } = current;
  if (fact.type === 'consent.ConsentRevoked.v1' && fact.data.message) {
    const confirmed = fact.data.message.messageId;
    if (pendingOptOuts.some((p) => p.messageId === confirmed)) {
      pendingOptOuts = pendingOptOuts.filter((p) => p.messageId !== confirmed);
    }
  }
  if (fact.type === 'consent.ConsentRestored.v1') {
    // START lifts the opt-outs the person sent before it, confirmed or not.
    const restoredAt = Date.parse(fact.data.message.receivedAt);
    if (pendingOptOuts.some((p) => Date.parse(p.receivedAt) <= restoredAt)) {
      pendingOptOuts = pendingOptOuts.filter((p) => Date.parse(p.receivedAt) > restoredAt);
    }
    if (restoredThrough === null || restoredAt > Date.parse(restoredThrough)) {
      restoredThrough = new Date(restoredAt).toISOString();
    }
  }
  if (
    standing === current.standing &&
    pendingOptOuts === current.pendingOptOuts &&
    restoredThrough === current.restoredThrough
  ) {
    return current;
  }
  return { standing, pendingOptOuts, restoredThrough };
}

/** The ledger's standing, opted out on every channel while an inbound opt-out awaits it. */
export function effectiveStanding(record: ConsentStandingRecord | null): ConsentStanding {
  if (!record) return noConsent;
  return record.pendingOptOuts.length > 0
    ? { ...record.standing, optedOut: { sms: true, mms: true } }
    : record.standing;
}
