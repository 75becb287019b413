import { describe, expect, it } from 'vitest';
import { validateRequest } from '../http/request-validator.js';
import {
  parseTimeWindow,
  type SendWorkflowMessageInput,
  resolvedTimeWindow,
  workflowStepKey,
} from './workflow-actions.application.js';
import { timeWindowOpening } from './time-window.js';

const valid = {
  workflowId: 'wf_1',
  runId: 'run:2026-12-02.1',
  stepId: 'step-3',
  contactId: 'crm:7',
  message: { body: 'Hi {{ contact.first_name }}' },
};

function fieldsOf(body: unknown): string[] {
  try {
    validateRequest<SendWorkflowMessageInput>('SendWorkflowMessageRequest', body);
    return [];
  } catch (error) {
    return ((error as { violations: { field: string }[] }).violations ?? []).map((v) => v.field);
  }
}

describe('the send-sms request', () => {
  it.each([
    ['a valid step', valid, []],
    ['a workflow id with a space', { ...valid, workflowId: 'wf 1' }, ['workflowId']],
    ['an empty run id', { ...valid, runId: '' }, ['runId']],
    ['a step id of 129 characters', { ...valid, stepId: 'x'.repeat(129) }, ['stepId']],
    ['a step id with a slash', { ...valid, stepId: 'a/b' }, ['stepId']],
    ['no contact', { ...valid, contactId: undefined }, ['contactId']],
    [
      'an unknown purpose',
      { ...valid, message: { body: 'x', purpose: 'spam' } },
      ['message.purpose'],
    ],
    [
      'an unknown message field',
      { ...valid, message: { body: 'x', to: '+13055550100' } },
      ['message.to'],
    ],
    [
      'a window without a zone',
      { ...valid, timeWindow: { start: '09:00', end: '17:00' } },
      ['timeWindow.timeZone'],
    ],
    [
      'an unknown weekday',
      {
        ...valid,
        timeWindow: { days: ['mon', 'fun'], start: '09:00', end: '17:00', timeZone: 'tenant' },
      },
      ['timeWindow.days.1'],
    ],
    [
      'a start of 24:00',
      { ...valid, timeWindow: { start: '24:00', end: '24:00', timeZone: 'tenant' } },
      ['timeWindow.start'],
    ],
  ])('%s', (_name, body, fields) => {
    expect(fieldsOf(body)).toEqual(fields);
  });

  it('refuses start ≥ end and an unknown zone together, naming both', () => {
    expect(() => parseTimeWindow({ start: '17:00', end: '09:00', timeZone: 'Mars/Base' })).toThrow(
      expect.objectContaining({
        violations: [
          expect.objectContaining({ field: 'timeWindow.end' }),
          expect.objectContaining({ field: 'timeWindow.timeZone' }),
        ],
      }),
    );
  });

  it('keys a step by its triple', () => {
    expect(workflowStepKey(valid)).toBe('wf_1/run:2026-12-02.1/step-3');
  });
});

describe('the time window', () => {
  // A Wednesday. Chicago is UTC−6 in December, New York UTC−5.
  const tenant = { to: '+13125550100', tenantTimeZone: 'America/Chicago' };
  const window = resolvedTimeWindow(
    parseTimeWindow({ start: '09:00', end: '17:00', timeZone: 'America/Chicago' }),
    tenant,
  );

  it('given now inside it, when the step sends, then it goes now', () => {
    const now = new Date('2026-12-02T16:00:00Z'); // 10:00 Chicago
    expect(timeWindowOpening(window, now)).toEqual(now);
  });

  it('given now before the start, then it waits until the start that day', () => {
    const now = new Date('2026-12-02T12:00:00Z'); // 06:00 Chicago
    expect(timeWindowOpening(window, now)).toEqual(new Date('2026-12-02T15:00:00Z'));
  });

  it('given now after the end, then it waits for the next allowed day', () => {
    const weekdays = resolvedTimeWindow(
      parseTimeWindow({
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        start: '09:00',
        end: '17:00',
        timeZone: 'tenant',
      }),
      tenant,
    );
    expect(weekdays.timeZone).toBe('America/Chicago');
    const fridayEvening = new Date('2026-12-05T00:30:00Z'); // Fri 18:30 Chicago
    expect(timeWindowOpening(weekdays, fridayEvening)).toEqual(
      new Date('2026-12-07T15:00:00Z'), // Mon 09:00 Chicago
    );
  });

  it("given \"recipient\", then the zone is the contact's, else the area code's, else the tenant's", () => {
    const recipient = parseTimeWindow({ start: '09:00', end: '17:00', timeZone: 'recipient' });
    const now = new Date('2026-12-02T14:30:00Z'); // 09:30 New York, 08:30 Chicago, 07:30 Denver
    const denver = resolvedTimeWindow(recipient, {
      ...tenant,
      recipientTimeZone: 'America/Denver',
    });
    expect(denver).toEqual({
      days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
      start: '09:00',
      end: '17:00',
      timeZone: 'America/Denver',
    });
    expect(timeWindowOpening(denver, now)).toEqual(new Date('2026-12-02T16:00:00Z'));
    // 212: New York's area code, open at 09:30.
    const newYork = resolvedTimeWindow(recipient, { ...tenant, to: '+12125550100' });
    expect(newYork.timeZone).toBe('America/New_York');
    expect(timeWindowOpening(newYork, now)).toEqual(now);
    // 555 is no area code: the tenant's zone.
    expect(resolvedTimeWindow(recipient, { ...tenant, to: '+15555550100' }).timeZone).toBe(
      'America/Chicago',
    );
  });
});
