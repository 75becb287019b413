import { validateEventData } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import { evolveKnownNumber } from './known-number.js';
import { numberLookupEventOf } from './number-lookups.js';

const phone = '+12065550173';
const monday = new Date('2026-11-30T09:00:00.000Z');
const tuesday = new Date('2026-12-01T09:00:00.000Z');

describe("a number's lookup facts", () => {
  const found = numberLookupEventOf(
    phone,
    {
      outcome: 'found',
      lineType: 'mobile',
      carrier: 'tmobile',
      carrierName: 'T-Mobile USA, Inc.',
      carrierLineType: 'mobile',
    },
    monday,
  );
  const failed = numberLookupEventOf(
    phone,
    {
      outcome: 'failed',
      reason: 'carrier_unavailable',
      detail: 'HTTP 503',
      carrierErrorCode: '10007',
    },
    tuesday,
  );

  it('are valid against their contracts', () => {
    expect(validateEventData(found.type, found.data)).toEqual({ valid: true });
    expect(validateEventData(failed.type, failed.data)).toEqual({ valid: true });
  });

  it('a lookup is what is known; a later failure is kept beside it', () => {
    const afterFound = evolveKnownNumber(null, found);
    expect(afterFound).toEqual({
      phoneNumber: phone,
      lookup: {
        lineType: 'mobile',
        carrier: 'tmobile',
        carrierName: 'T-Mobile USA, Inc.',
        lookedUpAt: monday,
      },
      failure: null,
    });
    const afterFailed = evolveKnownNumber(afterFound, failed);
    expect(afterFailed).toEqual({
      ...afterFound,
      failure: { reason: 'carrier_unavailable', detail: 'HTTP 503', failedAt: tuesday },
    });
  });

  it('a success after a failure clears it', () => {
    const again = numberLookupEventOf(
      phone,
      { outcome: 'found', lineType: 'landline', carrier: 'other' },
      tuesday,
    );
    expect(evolveKnownNumber(evolveKnownNumber(null, failed), again)).toEqual({
      phoneNumber: phone,
      lookup: { lineType: 'landline', carrier: 'other', carrierName: null, lookedUpAt: tuesday },
      failure: null,
    });
    expect(again.data).not.toHaveProperty('carrierName');
  });
});
