import { describe, expect, it } from 'vitest';
import { topicForEventType } from '../event-types.js';
import { Topics } from '../topics.js';
import { validateEventData } from '../validation.js';
import { numberLookupStreamId } from './number-lookups.events.js';

const at = '2026-12-03T10:00:00.000Z';

describe('number-lookup contracts', () => {
  it("puts both facts on messaging's number-lookups topic, one stream per number", () => {
    expect(topicForEventType('messaging.NumberLookedUp.v1')).toBe(Topics.messagingNumberLookups);
    expect(topicForEventType('messaging.NumberLookupFailed.v1')).toBe(
      Topics.messagingNumberLookups,
    );
    expect(numberLookupStreamId('+12145550140')).toBe('number-lookup-+12145550140');
  });

  it("accepts a lookup with textplane's line type and carrier beside the raw values", () => {
    expect(
      validateEventData('messaging.NumberLookedUp.v1', {
        phoneNumber: '+12145550140',
        lineType: 'landline',
        carrier: 'att',
        carrierName: 'AT&T Southwest - TX',
        carrierLineType: 'fixed line',
        lookedUpAt: at,
      }),
    ).toEqual({ valid: true });
  });

  it.each([
    ['a raw line type', { lineType: 'fixed line' }],
    ['an unknown carrier code', { carrier: 'sprint' }],
    ['a number not E.164', { phoneNumber: '2145550140' }],
  ])('refuses %s', (_, change) => {
    const result = validateEventData('messaging.NumberLookedUp.v1', {
      phoneNumber: '+12145550140',
      lineType: 'mobile',
      carrier: 'other',
      lookedUpAt: at,
      ...change,
    });
    expect(result.valid).toBe(false);
  });

  it('accepts a failure with its reason, refuses one without', () => {
    const failed = {
      phoneNumber: '+16135550123',
      reason: 'carrier_refused',
      detail: '+16135550123 is a Canadian number',
      carrierErrorCode: '10015',
      failedAt: at,
    };
    expect(validateEventData('messaging.NumberLookupFailed.v1', failed)).toEqual({ valid: true });
    expect(
      validateEventData('messaging.NumberLookupFailed.v1', { ...failed, reason: 'timeout' }).valid,
    ).toBe(false);
  });
});
