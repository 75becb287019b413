import type {
  FundsHoldRequested,
  InboundMessageReceived,
  MessageSubmitted,
  WalletCreditRequested,
  WalletSettings,
  WalletSnapshot,
} from '@textplane/contracts';
import { randomUUID } from 'node:crypto';

/** Requests and facts shared by billing's tests; ids fresh per call unless given. */

export const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
export const messageId = '01936f4e-7c2a-7cc1-9a57-00000000a001';
export const now = new Date('2026-12-03T14:00:00.000Z');
export const at = now.toISOString();
/** The default card's worst case of one registered US SMS segment: $0.0083 + T-Mobile's $0.003. */
export const SEGMENT_WORST_CASE = 11_300;

export function wallet(available: number, held = 0, sequence = 0): WalletSnapshot {
  return { currency: 'USD', available, held, balance: available + held, sequence };
}

export function holdRequest(overrides: Partial<FundsHoldRequested> = {}): FundsHoldRequested {
  return {
    messageId,
    tenantId,
    to: '+14155550123',
    from: '+15125550142',
    channel: 'sms',
    segments: 1,
    fromNumberType: 'long_code',
    registered: true,
    requestedAt: at,
    ...overrides,
  };
}

export function submitted(overrides: Partial<MessageSubmitted> = {}): MessageSubmitted {
  return {
    messageId,
    tenantId,
    carrierMessageId: 'carrier-1',
    submittedAt: at,
    ...overrides,
  };
}

export function inbound(overrides: Partial<InboundMessageReceived> = {}): InboundMessageReceived {
  return {
    messageId,
    tenantId,
    direction: 'inbound',
    from: '+14155550123',
    to: '+15125550142',
    body: 'STOP',
    mediaUrls: [],
    encoding: 'GSM-7',
    segments: 1,
    carrierMessageId: 'carrier-in-1',
    receivedAt: at,
    ...overrides,
  };
}

export function creditRequest(
  overrides: Partial<WalletCreditRequested> = {},
): WalletCreditRequested {
  return {
    requestId: randomUUID(),
    tenantId,
    amount: { micros: 1_000_000, currency: 'USD' },
    reference: 'ch_1',
    requestedAt: at,
    ...overrides,
  };
}

export const noAlerts: WalletSettings = {
  autoRecharge: null,
  lowBalanceThreshold: null,
  fundsWaitLimitSeconds: 86_400,
};
