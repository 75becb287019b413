import { describe, expect, it } from 'vitest';
import { eventContracts, type EventType } from './event-types.js';
import { Topics, dlqTopicFor, topicRegistry } from './topics.js';
import { assertEventData, InvalidEventError, validateEventData } from './validation.js';

const queued = {
  messageId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c11',
  tenantId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12',
  direction: 'outbound',
  to: '+15555550123',
  from: '+15555550100',
  body: 'Hello',
  mediaUrls: [],
  purpose: 'conversational',
  encoding: 'GSM-7',
  segments: 1,
  queuedAt: '2026-11-26T12:00:00.000Z',
};

describe('event validation', () => {
  it('accepts data that matches the schema of its type', () => {
    expect(validateEventData('messaging.MessageQueued.v1', queued)).toEqual({ valid: true });
  });

  it('names every field that breaks the schema', () => {
    const result = validateEventData('messaging.MessageQueued.v1', {
      ...queued,
      to: '5555550123',
      segments: -1,
    });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.reason).toContain('/to');
    expect(result.reason).toContain('/segments');
  });

  it('refuses an unknown event type', () => {
    expect(validateEventData('messaging.MessageTeleported.v1', {})).toEqual({
      valid: false,
      reason: 'unknown event type "messaging.MessageTeleported.v1"',
    });
  });

  it('checks formats such as date-time and uuid', () => {
    const result = validateEventData('messaging.MessageQueued.v1', {
      ...queued,
      messageId: 'not-a-uuid',
      queuedAt: 'yesterday',
    });
    expect(result.valid).toBe(false);
  });

  it('assertEventData throws InvalidEventError with the reason', () => {
    expect(() => assertEventData('messaging.MessageQueued.v1', { ...queued, body: 3 })).toThrow(
      InvalidEventError,
    );
  });
});

describe('contracts registry', () => {
  it('names every event type <service>.<PascalCaseName>.v<major>', () => {
    for (const type of Object.keys(eventContracts)) {
      expect(type).toMatch(/^[a-z-]+\.[A-Z][A-Za-z]+\.v[0-9]+$/);
    }
  });

  it('publishes every event type on a registered topic owned by its service', () => {
    const names = new Set(topicRegistry.map((t) => t.name));
    for (const [type, contract] of Object.entries(eventContracts)) {
      expect(names.has(contract.topic)).toBe(true);
      expect(contract.topic.split('.')[0]).toBe((type as EventType).split('.')[0]);
    }
  });

  it('registers a DLQ for every consumer group and names topics per aggregate', () => {
    expect(topicRegistry.map((t) => t.name)).toContain(dlqTopicFor('messaging.send-requests'));
    for (const name of Object.values(Topics)) {
      expect(name).toMatch(/^[a-z-]+\.[a-z-]+\.events\.v[0-9]+$/);
    }
  });
});

describe('consent contracts', () => {
  const tenantId = '0190a8f4-3c2b-7d4e-8f00-000000000001';

  it('compiles every registered schema under ajv strict mode', () => {
    for (const type of Object.keys(eventContracts)) {
      expect(validateEventData(type, {}).valid, type).toBe(false);
    }
  });

  it('accepts a grant with full evidence and refuses one without evidence', () => {
    const grant = {
      tenantId,
      phone: '+14155550100',
      purpose: 'marketing',
      channel: 'sms',
      requestId: '0190a8f4-3c2b-7d4e-8f00-000000000002',
      grantedAt: '2026-11-26T12:00:00.000Z',
      evidence: {
        source: 'web_form',
        text: 'I agree to receive marketing texts from Acme.',
        textVersion: 'v3',
        checkboxDefaultUnchecked: true,
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        pageUrl: 'https://acme.example/signup',
        capturedAt: '2026-11-26T11:59:00.000Z',
      },
    };
    expect(validateEventData('consent.ConsentGranted.v1', grant)).toEqual({ valid: true });
    const { evidence: _evidence, ...withoutEvidence } = grant;
    expect(validateEventData('consent.ConsentGranted.v1', withoutEvidence).valid).toBe(false);
    expect(validateEventData('consent.ConsentGranted.v1', { ...grant, channel: 'fax' }).valid).toBe(
      false,
    );
  });

  it('never lets quiet hours be a block reason', () => {
    const blocked = {
      messageId: '0190a8f4-3c2b-7d4e-8f00-000000000003',
      tenantId,
      reason: 'quiet_hours_held',
      reasons: ['quiet_hours_held'],
      detail: '',
      blockedAt: '2026-11-26T12:00:00.000Z',
    };
    expect(validateEventData('messaging.MessageBlocked.v1', blocked).valid).toBe(false);
    expect(
      validateEventData('messaging.MessageBlocked.v1', { ...blocked, reason: 'dnd_active' }),
    ).toEqual({ valid: true });
  });
});

describe('tenant compliance profile contracts', () => {
  const set = {
    tenantId: '0190a8f4-3c2b-7d4e-8f00-000000000010',
    compliance: {
      helpText: '{brand}: Questions? Call 800-555-0100. Reply STOP to opt out.',
      restrictedContent: 'flag',
    },
    setAt: '2026-11-26T12:00:00.000Z',
  };

  it('accepts a whole profile, and an empty one (every field back to its default)', () => {
    expect(validateEventData('gateway.TenantComplianceProfileSet.v1', set)).toEqual({
      valid: true,
    });
    expect(
      validateEventData('gateway.TenantComplianceProfileSet.v1', { ...set, compliance: {} }),
    ).toEqual({ valid: true });
  });

  it('is published on the tenants topic, beside TenantCreated', () => {
    expect(eventContracts['gateway.TenantComplianceProfileSet.v1'].topic).toBe(
      Topics.gatewayTenants,
    );
    expect(eventContracts['gateway.TenantCreated.v1'].topic).toBe(Topics.gatewayTenants);
  });

  it('refuses a missing profile, an unknown profile field, an unknown policy and an empty text', () => {
    const { compliance: _compliance, ...withoutProfile } = set;
    const refused = [
      withoutProfile,
      { ...set, compliance: { ...set.compliance, signature: 'Acme' } },
      { ...set, compliance: { restrictedContent: 'allow' } },
      { ...set, compliance: { helpText: '' } },
      { ...set, setAt: 'now' },
    ];
    for (const data of refused) {
      expect(
        validateEventData('gateway.TenantComplianceProfileSet.v1', data).valid,
        JSON.stringify(data),
      ).toBe(false);
    }
  });
});

describe('scheduling contracts', () => {
  const messageId = '0190a8f4-3c2b-7d4e-8f00-000000000020';
  const tenantId = '0190a8f4-3c2b-7d4e-8f00-000000000021';
  const sendAt = '2026-11-27T15:00:00.000Z';
  const requestedAt = '2026-11-26T12:00:00.000Z';

  it('carries an optional sendAt on SendRequested and MessageQueued, an instant when given', () => {
    const request = {
      messageId,
      tenantId,
      to: '+15555550123',
      from: '+15555550100',
      body: 'Hello',
      mediaUrls: [],
      purpose: 'conversational',
      encoding: 'GSM-7',
      segments: 1,
      requestedAt,
    };
    expect(validateEventData('gateway.SendRequested.v1', request)).toEqual({ valid: true });
    expect(validateEventData('gateway.SendRequested.v1', { ...request, sendAt })).toEqual({
      valid: true,
    });
    expect(
      validateEventData('gateway.SendRequested.v1', { ...request, sendAt: 'tomorrow' }).valid,
    ).toBe(false);
    expect(validateEventData('messaging.MessageQueued.v1', { ...queued, sendAt })).toEqual({
      valid: true,
    });
    expect(validateEventData('messaging.MessageQueued.v1', { ...queued, sendAt: 5 }).valid).toBe(
      false,
    );
  });

  it('holds for quiet hours (with the zone, as before) or for the client (zone optional)', () => {
    const held = { messageId, tenantId, sendAt, heldAt: requestedAt };
    const quiet = { ...held, reason: 'quiet_hours_held', timeZone: 'America/New_York' };
    expect(validateEventData('messaging.MessageHeld.v1', quiet)).toEqual({ valid: true });
    expect(validateEventData('messaging.MessageHeld.v1', { ...held, reason: 'scheduled' })).toEqual(
      { valid: true },
    );
    expect(validateEventData('messaging.MessageHeld.v1', { ...held, reason: 'later' }).valid).toBe(
      false,
    );
  });

  it('never lets scheduled be a block reason', () => {
    const blocked = {
      messageId,
      tenantId,
      reason: 'scheduled',
      reasons: ['scheduled'],
      detail: '',
      blockedAt: requestedAt,
    };
    expect(validateEventData('messaging.MessageBlocked.v1', blocked).valid).toBe(false);
  });

  it('registers cancel and reschedule requests on the send-requests topic, beside SendRequested', () => {
    for (const type of [
      'gateway.MessageCancelRequested.v1',
      'gateway.MessageRescheduleRequested.v1',
    ] as const) {
      expect(eventContracts[type].topic).toBe(eventContracts['gateway.SendRequested.v1'].topic);
    }
    expect(
      validateEventData('gateway.MessageCancelRequested.v1', { messageId, tenantId, requestedAt }),
    ).toEqual({ valid: true });
    expect(
      validateEventData('gateway.MessageRescheduleRequested.v1', {
        messageId,
        tenantId,
        requestedAt,
      }).valid,
    ).toBe(false);
    expect(
      validateEventData('gateway.MessageRescheduleRequested.v1', {
        messageId,
        tenantId,
        sendAt,
        requestedAt,
      }),
    ).toEqual({ valid: true });
  });

  it("accepts messaging's answers and refuses a status or origin outside the model", () => {
    const canceled = { messageId, tenantId, previousStatus: 'scheduled', canceledAt: requestedAt };
    expect(validateEventData('messaging.MessageCanceled.v1', canceled)).toEqual({ valid: true });
    expect(
      validateEventData('messaging.MessageCanceled.v1', { ...canceled, previousStatus: 'sending' })
        .valid,
    ).toBe(false);
    const rejected = {
      messageId,
      tenantId,
      status: 'delivered',
      requestedAt,
      rejectedAt: requestedAt,
    };
    expect(validateEventData('messaging.MessageCancelRejected.v1', rejected)).toEqual({
      valid: true,
    });
    expect(
      validateEventData('messaging.MessageCancelRejected.v1', { ...rejected, status: 'lost' })
        .valid,
    ).toBe(false);
    expect(
      validateEventData('messaging.MessageRescheduled.v1', {
        messageId,
        tenantId,
        sendAt,
        previousSendAt: requestedAt,
        rescheduledAt: requestedAt,
      }),
    ).toEqual({ valid: true });
    expect(
      validateEventData('messaging.MessageRescheduleRejected.v1', {
        ...rejected,
        status: 'scheduled',
        reason: 'quiet_hours_held',
      }),
    ).toEqual({ valid: true });
  });
});
