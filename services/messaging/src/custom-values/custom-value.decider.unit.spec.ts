import { deciderSpecification } from '@textplane/testing';
import { describe, it } from 'vitest';
import type { CustomValueCommand } from './custom-value.commands.js';
import { type CustomValueState, decide, evolve, initialState } from './custom-value.decider.js';
import type { CustomValueEvent } from './custom-value.events.js';

const given = deciderSpecification<CustomValueCommand, CustomValueEvent, CustomValueState>({
  decide,
  evolve,
  initialState,
});

const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const key = 'offer';
const requestId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c99';
const now = new Date('2026-11-26T12:00:00.000Z');
const requestedAt = new Date('2026-11-26T11:59:59.000Z');
const base = { tenantId, key, requestId, requestedAt, now };

const set = (value: string): CustomValueCommand => ({ type: 'SetCustomValue', ...base, value });
const remove: CustomValueCommand = { type: 'DeleteCustomValue', ...base };
const wasSet = (value: string, version: number, created: boolean): CustomValueEvent => ({
  type: 'messaging.CustomValueSet.v1',
  data: { tenantId, key, value, version, created, requestId, setAt: now.toISOString() },
});
const deleted = (version: number): CustomValueEvent => ({
  type: 'messaging.CustomValueDeleted.v1',
  data: { tenantId, key, version, requestId, deletedAt: now.toISOString() },
});
const notFound: CustomValueEvent = {
  type: 'messaging.CustomValueRequestRejected.v1',
  data: {
    tenantId,
    key,
    requestId,
    reason: 'not_found',
    requestedAt: requestedAt.toISOString(),
    rejectedAt: now.toISOString(),
  },
};

describe('custom value decider', () => {
  it('sets a new value at version 1 (created)', () => {
    given([])
      .when(set('20% off'))
      .then([wasSet('20% off', 1, true)]);
  });

  it('replaces a value at the next version (not created)', () => {
    given([wasSet('20% off', 1, true)])
      .when(set('30% off'))
      .then([wasSet('30% off', 2, false)]);
  });

  it('deletes a value, and a value set again after it is created anew, still counting', () => {
    given([wasSet('20% off', 1, true)])
      .when(remove)
      .then([deleted(2)]);
    given([wasSet('20% off', 1, true), deleted(2)])
      .when(set('again'))
      .then([wasSet('again', 3, true)]);
  });

  it('refuses to delete a value that is not set', () => {
    given([]).when(remove).then([notFound]);
    given([wasSet('x', 1, true), deleted(2)])
      .when(remove)
      .then([notFound]);
  });
});
