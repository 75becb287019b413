import { DEFAULT_RATE_CARD, type RateCard } from '@textplane/pricing';
import { describe, expect, it } from 'vitest';
import { at, now } from '../../test/fixtures.js';
import {
  cardJson,
  decide,
  evolve,
  initialState,
  type RateCardCommand,
} from './rate-card.decider.js';

const requestId = '01936f4e-7c2a-7cc1-9a57-000000007001';
const next: RateCard = {
  ...DEFAULT_RATE_CARD,
  version: '2027-01',
  effectiveAt: '2027-01-01T00:00:00.000Z',
};
const publish = (
  card: Record<string, unknown>,
  version = '2027-01',
  published: readonly RateCard[] = [DEFAULT_RATE_CARD],
): RateCardCommand => ({
  type: 'PublishRateCard',
  request: { requestId, version, card, requestedAt: at },
  published,
  now,
});

describe('rate card decider', () => {
  it('publishes a new version from now on', () => {
    const events = decide(publish(cardJson(next)), initialState);
    expect(events).toEqual([
      {
        type: 'billing.RateCardPublished.v1',
        data: { requestId, version: '2027-01', card: cardJson(next), publishedAt: at },
      },
    ]);
    const state = events.reduce(evolve, initialState);
    expect(state).toMatchObject({ phase: 'published', card: { version: '2027-01' } });
  });

  it('the same content again publishes nothing (the version in the table or the stream)', () => {
    expect(
      decide(publish(cardJson(next), '2027-01', [DEFAULT_RATE_CARD, next]), initialState),
    ).toEqual([]);
    const published = decide(publish(cardJson(next)), initialState).reduce(evolve, initialState);
    expect(decide(publish(cardJson(next)), published)).toEqual([]);
  });

  it('other content under a published version is refused', () => {
    const published = decide(publish(cardJson(next)), initialState).reduce(evolve, initialState);
    const events = decide(publish({ ...cardJson(next), lookupPrice: 1 }), published);
    expect(events[0]).toMatchObject({
      type: 'billing.BillingRequestRejected.v1',
      data: {
        resource: 'rate_card',
        resourceId: '2027-01',
        code: 'invalid',
        errors: [{ field: 'version' }],
      },
    });
  });

  it('refuses what parseRateCard refuses, naming each field: a past effectiveAt, no US rate', () => {
    const past = decide(
      publish({ ...cardJson(next), effectiveAt: '2026-01-02T00:00:00Z' }),
      initialState,
    );
    expect(past[0]?.data).toMatchObject({ errors: [{ field: 'effectiveAt' }] });
    const noUs = decide(
      publish({
        ...cardJson(next),
        rates: next.rates.filter((r) => r.country !== 'US'),
        carrierFees: [],
      }),
      initialState,
    );
    expect(noUs[0]?.type).toBe('billing.BillingRequestRejected.v1');
    expect(JSON.stringify(noUs[0]?.data)).toContain('must price the US');
    expect(past.reduce(evolve, initialState)).toEqual(initialState);
  });

  it('the default card is always published: its version cannot be taken', () => {
    const events = decide(
      publish({ ...cardJson(next), version: 'default' }, 'default'),
      initialState,
    );
    expect(events[0]?.type).toBe('billing.BillingRequestRejected.v1');
  });
});
