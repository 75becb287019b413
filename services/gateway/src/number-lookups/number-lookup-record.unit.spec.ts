import { describe, expect, it } from 'vitest';
import {
  evolveNumberLookup,
  type NumberLookupEvent,
  numberLookupResourceOf,
} from './number-lookup-record.js';

const phone = '+12065550173';
const lookedUp = (lookedUpAt: string, lineType: 'mobile' | 'landline'): NumberLookupEvent => ({
  type: 'messaging.NumberLookedUp.v1',
  data: {
    phoneNumber: phone,
    lineType,
    carrier: 'verizon',
    carrierName: 'Cellco Partnership dba Verizon Wireless',
    carrierLineType: lineType === 'mobile' ? 'mobile' : 'fixed line',
    lookedUpAt,
  },
});
const failed: NumberLookupEvent = {
  type: 'messaging.NumberLookupFailed.v1',
  data: {
    phoneNumber: phone,
    reason: 'carrier_refused',
    detail: 'not looked up',
    carrierErrorCode: '10015',
    failedAt: '2026-12-02T00:00:00.000Z',
  },
};

describe('the number-lookup read model', () => {
  it('given nothing, a failure alone is known as a failure', () => {
    expect(numberLookupResourceOf(evolveNumberLookup(null, failed))).toEqual({
      phoneNumber: phone,
      lineType: null,
      carrier: null,
      carrierName: null,
      carrierLineType: null,
      lookedUpAt: null,
      lastFailure: {
        reason: 'carrier_refused',
        detail: 'not looked up',
        failedAt: '2026-12-02T00:00:00.000Z',
      },
    });
  });

  it('given a lookup, a failure keeps it; a later lookup replaces both', () => {
    const first = evolveNumberLookup(null, lookedUp('2026-11-01T00:00:00.000Z', 'mobile'));
    const thenFailed = evolveNumberLookup(first, failed);
    expect(numberLookupResourceOf(thenFailed)).toMatchObject({
      lineType: 'mobile',
      carrier: 'verizon',
      lookedUpAt: '2026-11-01T00:00:00.000Z',
      lastFailure: { reason: 'carrier_refused' },
    });
    const again = evolveNumberLookup(thenFailed, lookedUp('2026-12-03T00:00:00.000Z', 'landline'));
    expect(numberLookupResourceOf(again)).toEqual({
      phoneNumber: phone,
      lineType: 'landline',
      carrier: 'verizon',
      carrierName: 'Cellco Partnership dba Verizon Wireless',
      carrierLineType: 'fixed line',
      lookedUpAt: '2026-12-03T00:00:00.000Z',
      lastFailure: null,
    });
  });
});
