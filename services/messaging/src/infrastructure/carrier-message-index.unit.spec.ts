import { describe, expect, it } from 'vitest';
import { upcastParkedReport } from './carrier-message-index.js';

describe('a parked carrier report, read back', () => {
  it("reads one parked in today's shape as it was", () => {
    expect(
      upcastParkedReport({
        kind: 'status',
        carrierMessageId: 'c-1',
        status: 'undelivered',
        carrierStatus: 'delivery_failed',
        errorCode: '40002',
        errorDetail: 'spam',
        occurredAt: '2026-11-26T12:00:02.512Z',
      }),
    ).toEqual({
      kind: 'status',
      carrierMessageId: 'c-1',
      status: 'undelivered',
      carrierStatus: 'delivery_failed',
      errorCode: '40002',
      errorDetail: 'spam',
      occurredAt: new Date('2026-11-26T12:00:02.512Z'),
    });
  });

  it.each([
    ['delivered', 'delivered', null, null],
    [
      'delivery_unconfirmed',
      'undelivered',
      'delivery_unconfirmed',
      'carrier reported delivery unconfirmed',
    ],
    ['sending_failed', 'failed', 'sending_failed', 'carrier reported sending failed'],
  ] as const)(
    'maps one parked with the Telnyx status %s as the adapter does now',
    (telnyxStatus, status, errorCode, errorDetail) => {
      expect(
        upcastParkedReport({
          kind: 'status',
          carrierMessageId: 'c-1',
          status: telnyxStatus,
          errorCode: null,
          errorDetail: null,
          occurredAt: '2026-11-26T12:00:02.512Z',
        }),
      ).toMatchObject({ status, carrierStatus: telnyxStatus, errorCode, errorDetail });
    },
  );

  it('refuses a status it cannot read rather than guess', () => {
    expect(() =>
      upcastParkedReport({
        kind: 'status',
        carrierMessageId: 'c-1',
        status: 'teleported',
        errorCode: null,
        errorDetail: null,
        occurredAt: '2026-11-26T12:00:02.512Z',
      }),
    ).toThrow(/unknown status teleported/);
  });
});
