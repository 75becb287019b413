import type { WalletSettings } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import { at, noAlerts, now, tenantId } from '../../test/fixtures.js';
import type { WalletSettingsEvent } from '../billing.events.js';
import {
  decide,
  evolve,
  initialState,
  type WalletSettingsCommand,
} from './wallet-settings.decider.js';

const requestId = '01936f4e-7c2a-7cc1-9a57-000000005001';
const set = (settings: WalletSettings, id = requestId): WalletSettingsCommand => ({
  type: 'SetSettings',
  request: { requestId: id, tenantId, settings, requestedAt: at },
  now,
});
const alerting: WalletSettings = {
  autoRecharge: { enabled: true, threshold: 5_000_000, amount: 20_000_000 },
  lowBalanceThreshold: 10_000_000,
  fundsWaitLimitSeconds: 3_600,
};
const fold = (events: WalletSettingsEvent[]) => events.reduce(evolve, initialState);

describe('wallet settings decider', () => {
  it('none until set', () => {
    expect(initialState.settings).toBeNull();
  });

  it('sets them whole', () => {
    const events = decide(set(alerting), initialState);
    expect(events).toEqual([
      {
        type: 'billing.WalletSettingsSet.v1',
        data: { tenantId, requestId, settings: alerting, setAt: at },
      },
    ]);
    expect(fold(events).settings).toEqual(alerting);
  });

  it('a later request replaces them, alerts off included', () => {
    const first = decide(set(alerting), initialState);
    const second = decide(set(noAlerts, '01936f4e-7c2a-7cc1-9a57-000000005002'), fold(first));
    expect(fold([...first, ...second]).settings).toEqual(noAlerts);
  });

  it('the same request again adds nothing', () => {
    const first = decide(set(alerting), initialState);
    expect(decide(set(alerting), fold(first))).toEqual([]);
  });

  it('thresholds over 10^12 micro-units are refused invalid, naming each field', () => {
    const events = decide(
      set({
        ...alerting,
        lowBalanceThreshold: 1_000_000_000_001,
        autoRecharge: { enabled: true, threshold: 1_000_000_000_001, amount: 1 },
      }),
      initialState,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'billing.BillingRequestRejected.v1',
      data: { resource: 'wallet_settings', resourceId: tenantId, code: 'invalid' },
    });
    expect(
      (events[0]?.data as { errors: Array<{ field: string }> }).errors.map((e) => e.field),
    ).toEqual(['lowBalanceThreshold', 'autoRecharge.threshold']);
    expect(fold(events).settings).toBeNull();
  });
});
