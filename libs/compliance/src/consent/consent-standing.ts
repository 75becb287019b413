import type { ConsentChannel, ConsentPurpose, EventType, WireEventOf } from '@textplane/contracts';

/** The two channels a message can go out on; a ledger fact for `all` applies to both. */
export type MessageChannel = 'sms' | 'mms';
export type ChannelFlags = Readonly<Record<MessageChannel, boolean>>;

/**
 * What the consent ledger of one (tenant, phone) allows right now: the fold of its facts.
 * An opt-out does not erase the grants: START restores the consents held before it.
 */
export interface ConsentStanding {
  readonly grants: Readonly<Record<ConsentPurpose, ChannelFlags>>;
  readonly optedOut: ChannelFlags;
  readonly dnd: ChannelFlags;
  readonly optedOutAt: string | null;
  readonly updatedAt: string | null;
}

const none: ChannelFlags = { sms: false, mms: false };

export const noConsent: ConsentStanding = {
  grants: { marketing: none, transactional: none },
  optedOut: none,
  dnd: none,
  optedOutAt: null,
  updatedAt: null,
};

type LedgerEventType = Extract<EventType, `consent.${string}`>;
/** A consent ledger fact as it travels on `consent.consents.events.v1`. */
export type ConsentLedgerEvent = WireEventOf<LedgerEventType>;

export function isConsentLedgerEvent(event: { type: string }): event is ConsentLedgerEvent {
  return event.type.startsWith('consent.');
}

function set(flags: ChannelFlags, channel: ConsentChannel, value: boolean): ChannelFlags {
  return channel === 'all' ? { sms: value, mms: value } : { ...flags, [channel]: value };
}

/** Folds one ledger fact into the standing. */
export function evolveConsentStanding(
  standing: ConsentStanding,
  event: ConsentLedgerEvent,
): ConsentStanding {
  switch (event.type) {
    case 'consent.ConsentGranted.v1': {
      const { purpose, channel, grantedAt } = event.data;
      return {
        ...standing,
        grants: { ...standing.grants, [purpose]: set(standing.grants[purpose], channel, true) },
        updatedAt: grantedAt,
      };
    }
    case 'consent.ConsentRevoked.v1': {
      const { scope, channel, revokedAt } = event.data;
      if (scope === 'marketing') {
        return {
          ...standing,
          grants: { ...standing.grants, marketing: set(standing.grants.marketing, channel, false) },
          updatedAt: revokedAt,
        };
      }
      return {
        ...standing,
        optedOut: set(standing.optedOut, channel, true),
        optedOutAt: revokedAt,
        updatedAt: revokedAt,
      };
    }
    case 'consent.ConsentRestored.v1':
      return {
        ...standing,
        optedOut: none,
        optedOutAt: null,
        updatedAt: event.data.restoredAt,
      };
    case 'consent.DndSet.v1':
      return {
        ...standing,
        dnd: set(standing.dnd, event.data.channel, true),
        updatedAt: event.data.setAt,
      };
    case 'consent.DndCleared.v1':
      return {
        ...standing,
        dnd: set(standing.dnd, event.data.channel, false),
        updatedAt: event.data.clearedAt,
      };
    case 'consent.HelpRequested.v1':
    case 'consent.RevocationReviewOpened.v1':
    case 'consent.RevocationReviewResolved.v1':
    case 'consent.AutoReplyRequested.v1':
      // Facts for the record; a resolved review that revokes also records ConsentRevoked.
      return standing;
  }
}

export function isOptedOut(standing: ConsentStanding): boolean {
  return standing.optedOut.sms || standing.optedOut.mms;
}

export interface PurposeChannelState {
  /** A grant for this purpose and channel is on the ledger and not withdrawn. */
  consented: boolean;
  /** A message of this purpose may go out on this channel now (quiet hours aside). */
  allowed: boolean;
}
export type StandingView = {
  optedOut: ChannelFlags;
  dnd: ChannelFlags;
  optedOutAt: string | null;
  updatedAt: string | null;
} & Record<ConsentPurpose, Record<MessageChannel, PurposeChannelState>>;

/** The per-purpose, per-channel view an API shows. */
export function describeStanding(standing: ConsentStanding): StandingView {
  const view = (purpose: ConsentPurpose): Record<MessageChannel, PurposeChannelState> => {
    const one = (channel: MessageChannel): PurposeChannelState => {
      const consented = standing.grants[purpose][channel];
      const reachable = !standing.optedOut[channel] && !standing.dnd[channel];
      // Transactional texts need no prior grant, only that the person has not opted out.
      return { consented, allowed: reachable && (purpose === 'transactional' || consented) };
    };
    return { sms: one('sms'), mms: one('mms') };
  };
  return {
    optedOut: standing.optedOut,
    dnd: standing.dnd,
    optedOutAt: standing.optedOutAt,
    updatedAt: standing.updatedAt,
    marketing: view('marketing'),
    transactional: view('transactional'),
  };
}
