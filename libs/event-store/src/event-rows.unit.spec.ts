import { describe, expect, it } from 'vitest';
import { toStoredEvent, type EventRow } from './event-rows.js';
import { ConcurrencyError } from './events.js';
import { upcasters } from './upcasters.js';

const row: EventRow = {
  global_position: '9007199254740993',
  stream_id: 'consent-1',
  stream_type: 'consent',
  version: 2,
  event_id: '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b',
  type: 'consent.ConsentRevoked.v1',
  schema_version: 1,
  data: { keyword: 'STOP' },
  metadata: { correlationId: 'c-1', tenantId: 't-1' },
  occurred_at: new Date('2026-01-01T00:00:00Z'),
  recorded_at: new Date('2026-01-01T00:00:01Z'),
};

describe('toStoredEvent', () => {
  it('keeps int8 positions exact beyond Number.MAX_SAFE_INTEGER', () => {
    expect(toStoredEvent(row, undefined).globalPosition).toBe(9007199254740993n);
  });

  it('maps columns and upcasts data through the registry', () => {
    const registry = upcasters().registerUpcaster('consent.ConsentRevoked.v1', 1, () => ({
      keyword: 'STOP',
      channel: 'sms',
    }));
    expect(toStoredEvent(row, registry)).toEqual({
      globalPosition: 9007199254740993n,
      streamId: 'consent-1',
      streamType: 'consent',
      version: 2,
      eventId: row.event_id,
      type: 'consent.ConsentRevoked.v1',
      data: { keyword: 'STOP', channel: 'sms' },
      metadata: { correlationId: 'c-1', tenantId: 't-1' },
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
    });
  });
});

describe('ConcurrencyError', () => {
  it('says what was expected and what was found', () => {
    const error = new ConcurrencyError('s-1', 3, 5);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('Stream s-1: expected version 3, found 5');
    expect(new ConcurrencyError('s-1', 0, undefined).message).toContain('a concurrent append won');
  });
});
