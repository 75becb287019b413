import { deciderSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import { at, creditRequest, now, tenantId, wallet } from '../../test/fixtures.js';
import type { CreditEvent } from '../billing.events.js';
import {
  type CreditCommand,
  type CreditState,
  decide,
  evolve,
  initialState,
} from './credit.decider.js';

const given = deciderSpecification<CreditCommand, CreditEvent, CreditState>({
  decide,
  evolve,
  initialState,
});
const request = creditRequest();
const post = (overrides: Partial<typeof request> = {}, available = 0): CreditCommand => ({
  type: 'PostCredit',
  request: { ...request, ...overrides },
  walletCurrency: 'USD',
  wallet: wallet(available, 0, 3),
  now,
});
const posted: CreditEvent = {
  type: 'billing.CreditPosted.v1',
  data: {
    tenantId,
    requestId: request.requestId,
    reference: 'ch_1',
    amount: { micros: 1_000_000, currency: 'USD' },
    wallet: wallet(1_000_000, 0, 4),
    postedAt: at,
  },
};
const rejectedWith = (
  code: 'reference_reused' | 'invalid',
  fields: string[],
  requestId = request.requestId,
) => ({
  type: 'billing.BillingRequestRejected.v1',
  data: { requestId, tenantId, resource: 'credit', resourceId: 'ch_1', code, rejectedAt: at },
  fields,
});

function expectRejected(events: CreditEvent[], expected: ReturnType<typeof rejectedWith>) {
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ type: expected.type, data: expected.data });
  const data = events[0]?.data as { errors: Array<{ field: string }> };
  expect(data.errors.map((e) => e.field)).toEqual(expected.fields);
}

describe('credit decider', () => {
  it('posts a new reference: the wallet after it has the amount and one more entry', () => {
    given([]).when(post()).then([posted]);
  });

  it('adds to what is available (below zero after inbound charges too)', () => {
    const [event] = decide(post({}, -8_300), initialState);
    expect(event?.data).toMatchObject({ wallet: { available: 991_700, balance: 991_700 } });
  });

  it('the same reference and amount again is a repeat: nothing new', () => {
    given([posted])
      .when(post({ requestId: '01936f4e-7c2a-7cc1-9a57-000000000777' }))
      .thenNothingHappens();
  });

  it('the same reference with another amount is refused reference_reused, naming amount', () => {
    const other = '01936f4e-7c2a-7cc1-9a57-000000000778';
    expectRejected(
      decide(
        post({ requestId: other, amount: { micros: 5, currency: 'USD' } }),
        evolve(initialState, posted),
      ),
      rejectedWith('reference_reused', ['amount'], other),
    );
  });

  it('a currency other than the wallet’s is refused invalid, naming amount.currency', () => {
    expectRejected(
      decide(post({ amount: { micros: 1_000_000, currency: 'EUR' } }), initialState),
      rejectedWith('invalid', ['amount.currency']),
    );
  });

  it.each([0, -1, 1_000_000_000_001])('an amount of %d micros is refused invalid', (micros) => {
    expectRejected(
      decide(post({ amount: { micros, currency: 'USD' } }), initialState),
      rejectedWith('invalid', ['amount.micros']),
    );
  });

  it('a refused first request leaves the reference free', () => {
    const refused = decide(post({ amount: { micros: 0, currency: 'USD' } }), initialState);
    given(refused).when(post()).then([posted]);
  });
});
