import { describe, expect, it } from 'vitest';
import { validateEventData } from '../validation.js';
import { BULK_RECIPIENTS_PER_CHUNK, bulkMessageId } from './bulk-sends.events.js';

const bulkSendId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c21';
const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';

const requested = {
  bulkSendId,
  tenantId,
  message: { body: 'Hi {{ contact.first_name }}', mediaUrls: [], purpose: 'marketing' },
  delivery: {
    mode: 'drip',
    startAt: '2026-12-01T14:00:00.000Z',
    batchSize: 100,
    every: { value: 5, unit: 'minutes' },
    days: ['mon', 'tue'],
    window: { start: '09:00', end: '24:00' },
    timeZone: 'America/New_York',
  },
  recipients: 3,
  sendable: 2,
  batches: 1,
  chunks: 1,
  requestedAt: '2026-12-01T13:00:00.000Z',
};

describe('bulk-send contracts', () => {
  it('accepts each delivery mode and refuses a drip without its cadence', () => {
    expect(validateEventData('gateway.BulkSendRequested.v1', requested)).toEqual({ valid: true });
    for (const delivery of [
      { mode: 'now' },
      { mode: 'schedule', at: '2026-12-24T15:00:00.000Z' },
      { mode: 'schedule', localTime: '2026-12-24T10:00', timeZone: 'recipient' },
    ]) {
      expect(validateEventData('gateway.BulkSendRequested.v1', { ...requested, delivery })).toEqual(
        { valid: true },
      );
    }
    const { every: _every, ...noCadence } = requested.delivery;
    expect(
      validateEventData('gateway.BulkSendRequested.v1', { ...requested, delivery: noCadence }),
    ).toMatchObject({ valid: false });
  });

  it('bounds a chunk of recipients and types a duplicate phone', () => {
    const recipient = { position: 0, contactId: 'c-1', phone: '+15555550123', batch: 0 };
    const chunk = { bulkSendId, tenantId, chunk: 0, recipients: [recipient] };
    expect(validateEventData('gateway.BulkSendRecipientsSubmitted.v1', chunk)).toEqual({
      valid: true,
    });
    const duplicate = { ...recipient, position: 1, batch: null, skipped: 'duplicate_phone' };
    expect(
      validateEventData('gateway.BulkSendRecipientsSubmitted.v1', {
        ...chunk,
        recipients: [recipient, duplicate],
      }),
    ).toEqual({ valid: true });
    expect(
      validateEventData('gateway.BulkSendRecipientsSubmitted.v1', {
        ...chunk,
        recipients: Array.from({ length: BULK_RECIPIENTS_PER_CHUNK + 1 }, (_, i) => ({
          ...recipient,
          position: i,
        })),
      }),
    ).toMatchObject({ valid: false });
  });

  it('derives one message id per (bulk send, contact)', () => {
    const id = bulkMessageId(bulkSendId, 'c-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    expect(bulkMessageId(bulkSendId, 'c-1')).toBe(id);
    expect(bulkMessageId(bulkSendId, 'c-2')).not.toBe(id);
    expect(bulkMessageId('01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c22', 'c-1')).not.toBe(id);
  });
});
