import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import type { DecodedUpsertContactRequestProto } from './contact-proto.js';
import {
  toContactBody,
  toContactProto,
  toDeleteContactResponse,
  toUpsertContactResponse,
} from './contact.mapper.js';
import type { ContactResource } from './contact.resource.js';

const request: DecodedUpsertContactRequestProto = {
  contact_id: 'crm-1',
  phone: '+15555550123',
  first_name: 'Ana',
  email: 'ana@example.com',
  tags: ['vip'],
  custom_fields: {
    plan: { kind: 'string_value', string_value: 'pro' },
    seats: { kind: 'number_value', number_value: 12 },
    active: { kind: 'bool_value', bool_value: false },
    renews_on: { kind: 'date_value', date_value: '2026-12-24' },
  },
};

const contact: ContactResource = {
  id: 'crm-1',
  version: 2,
  phone: '+15555550123',
  firstName: 'Ana',
  lastName: null,
  email: 'ana@example.com',
  companyName: null,
  timeZone: null,
  tags: ['vip'],
  customFields: { plan: 'pro', seats: 12, active: false, renews_on: { date: '2026-12-24' } },
  updatedAt: '2026-11-26T12:00:00.000Z',
};

describe('contact mapper', () => {
  it('maps a gRPC upsert onto the REST body, unset optional fields left out', () => {
    expect(toContactBody(request)).toEqual({
      phone: '+15555550123',
      firstName: 'Ana',
      email: 'ana@example.com',
      tags: ['vip'],
      customFields: { plan: 'pro', seats: 12, active: false, renews_on: { date: '2026-12-24' } },
    });
  });

  it('refuses a custom field with no value set, naming it', () => {
    const empty = { ...request, custom_fields: { plan: {} } };
    try {
      toContactBody(empty);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).violations).toEqual([
        { field: 'customFields.plan', message: 'must set one of string, number, bool or date' },
      ]);
    }
  });

  it('writes a contact with each custom field value in its member', () => {
    const proto = toContactProto(contact);
    expect(proto).toMatchObject({
      id: 'crm-1',
      version: 2,
      first_name: 'Ana',
      last_name: null,
      update_time: { seconds: String(Date.parse(contact.updatedAt) / 1000), nanos: 0 },
    });
    expect(proto.custom_fields.seats).toEqual({
      string_value: null,
      number_value: 12,
      bool_value: null,
      date_value: null,
    });
    expect(proto.custom_fields.renews_on?.date_value).toBe('2026-12-24');
    expect(proto.custom_fields.active?.bool_value).toBe(false);
  });

  it('tells recorded from pending writes', () => {
    expect(toUpsertContactResponse({ status: 'upserted', created: true, contact })).toMatchObject({
      status: 'CONTACT_REQUEST_STATUS_RECORDED',
      created: true,
    });
    expect(
      toUpsertContactResponse({ status: 'pending', requestId: 'r-1', contactId: 'crm-1' }),
    ).toEqual({
      status: 'CONTACT_REQUEST_STATUS_PENDING',
      request_id: 'r-1',
      created: false,
      contact: null,
    });
    expect(toDeleteContactResponse({ status: 'deleted', contactId: 'crm-1', version: 3 })).toEqual({
      status: 'CONTACT_REQUEST_STATUS_RECORDED',
      request_id: '',
    });
  });
});
