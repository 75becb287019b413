import type { WalletSettings, WalletSettingsChangeRequested } from '@textplane/contracts';
import { MAX_AMOUNT_MICROS } from '@textplane/pricing';
import type { WalletSettingsEvent } from '../billing.events.js';

export type WalletSettingsCommand = {
  type: 'SetSettings';
  request: WalletSettingsChangeRequested;
  now: Date;
};

export interface WalletSettingsState {
  /** Null until the tenant sets them: no alerts, no auto-recharge. */
  settings: WalletSettings | null;
  requestIds: ReadonlySet<string>;
}

export const initialState: WalletSettingsState = { settings: null, requestIds: new Set() };

/** Settings are replaced whole; the contract's schema bounds them below, this above. */
export function decide(
  command: WalletSettingsCommand,
  state: WalletSettingsState,
): WalletSettingsEvent[] {
  const { request, now } = command;
  if (state.requestIds.has(request.requestId)) return [];
  const { settings } = request;
  const errors: Array<{ field: string; message: string }> = [];
  const bounded = (value: number, field: string) => {
    if (value < 0 || value > MAX_AMOUNT_MICROS) {
      errors.push({
        field,
        message: `must be from 0 to ${MAX_AMOUNT_MICROS} micro-units (got ${value})`,
      });
    }
  };
  if (settings.lowBalanceThreshold !== null) {
    bounded(settings.lowBalanceThreshold, 'lowBalanceThreshold');
  }
  if (settings.autoRecharge !== null) {
    bounded(settings.autoRecharge.threshold, 'autoRecharge.threshold');
    bounded(settings.autoRecharge.amount, 'autoRecharge.amount');
    if (settings.autoRecharge.amount < 1) {
      errors.push({ field: 'autoRecharge.amount', message: 'must be at least 1 micro-unit' });
    }
  }
  if (errors.length > 0) {
    return [
      {
        type: 'billing.BillingRequestRejected.v1',
        data: {
          requestId: request.requestId,
          tenantId: request.tenantId,
          resource: 'wallet_settings',
          resourceId: request.tenantId,
          code: 'invalid',
          errors,
          rejectedAt: now.toISOString(),
        },
      },
    ];
  }
  return [
    {
      type: 'billing.WalletSettingsSet.v1',
      data: {
        tenantId: request.tenantId,
        requestId: request.requestId,
        settings,
        setAt: now.toISOString(),
      },
    },
  ];
}

export function evolve(
  state: WalletSettingsState,
  event: WalletSettingsEvent,
): WalletSettingsState {
  const requestIds = new Set(state.requestIds).add(event.data.requestId);
  switch (event.type) {
    case 'billing.WalletSettingsSet.v1':
      return { settings: event.data.settings, requestIds };
    case 'billing.BillingRequestRejected.v1':
      return { ...state, requestIds };
  }
}
