import { type SendRequested, validateEventData } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import { decide, evolve, initialState } from '../message.decider.js';

/**
 * A send request's origin (the contact it named, the template and version it was sent from)
 * travels into MessageQueued, so the services that follow messages (bulk, workflows, billing)
 * see it; a request without one queues a message without one.
 */

const now = new Date('2026-11-26T12:00:00.000Z');
const request: SendRequested = {
  messageId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c11',
  tenantId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12',
  to: '+15555550123',
  from: '+15555550100',
  body: 'Hi Ann, 20% off',
  mediaUrls: [],
  purpose: 'transactional',
  encoding: 'GSM-7',
  segments: 1,
  requestedAt: now.toISOString(),
};

function queue(r: SendRequested) {
  return decide({ type: 'QueueMessage', request: r, additions: null, now }, initialState);
}

describe('queueing a send request', () => {
  it('copies contactId, templateId and templateVersion into MessageQueued', () => {
    const events = queue({
      ...request,
      contactId: 'crm:7',
      templateId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5caa',
      templateVersion: 2,
    });
    expect(events.map((event) => event.type)).toEqual(['messaging.MessageQueued.v1']);
    const [queued] = events;
    if (!queued) throw new Error('nothing queued');
    expect(queued.data).toMatchObject({
      contactId: 'crm:7',
      templateId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5caa',
      templateVersion: 2,
    });
    expect(validateEventData(queued.type, queued.data)).toEqual({ valid: true });
    expect(validateEventData(queued.type, { ...queued.data, templateVersion: 0 }).valid).toBe(
      false,
    );
    const state = evolve(initialState, queued);
    expect(state).toMatchObject({
      status: 'queued',
      message: { contactId: 'crm:7', templateVersion: 2 },
    });
  });

  it('checks the request fields in SendRequested too', () => {
    const sent = {
      ...request,
      templateId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5caa',
      templateVersion: 1,
    };
    expect(validateEventData('gateway.SendRequested.v1', sent)).toEqual({ valid: true });
    expect(
      validateEventData('gateway.SendRequested.v1', { ...sent, templateId: 'nope' }).valid,
    ).toBe(false);
  });

  it('queues a plain send without them', () => {
    const [queued] = queue(request);
    expect(queued?.data).not.toHaveProperty('contactId');
    expect(queued?.data).not.toHaveProperty('templateId');
    expect(queued?.data).not.toHaveProperty('templateVersion');
  });
});
