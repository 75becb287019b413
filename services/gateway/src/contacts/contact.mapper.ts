import type { ContactFieldValue } from '@textplane/contracts';
import { ApiError } from '../problems/api-error.js';
import { toTimestampProto } from '../grpc/timestamps.js';
import type {
  ContactProto,
  DecodedCustomFieldValueProto,
  DecodedUpsertContactRequestProto,
  DeleteContactResponseProto,
  GetContactResponseProto,
  ListContactsResponseProto,
  UpsertContactResponseProto,
} from './contact-proto.js';
import type {
  ContactDeleteOutcome,
  ContactDetailResource,
  ContactPage,
  ContactResource,
  ContactUpsertOutcome,
} from './contact.resource.js';

type CustomFieldValueProto = ContactProto['custom_fields'][string];

function toFieldValue(key: string, value: DecodedCustomFieldValueProto): ContactFieldValue {
  switch (value.kind) {
    case 'string_value':
      return value.string_value ?? '';
    case 'number_value':
      return value.number_value ?? 0;
    case 'bool_value':
      return value.bool_value ?? false;
    case 'date_value':
      return { date: value.date_value ?? '' };
    default:
      throw ApiError.invalid(`Custom field ${key} has no value`, [
        { field: `customFields.${key}`, message: 'must set one of string, number, bool or date' },
      ]);
  }
}

function toFieldValueProto(value: ContactFieldValue): CustomFieldValueProto {
  const none = { string_value: null, number_value: null, bool_value: null, date_value: null };
  if (typeof value === 'string') return { ...none, string_value: value };
  if (typeof value === 'number') return { ...none, number_value: value };
  if (typeof value === 'boolean') return { ...none, bool_value: value };
  return { ...none, date_value: value.date };
}

/** The REST body the request stands for, so both edges go through the same rules. */
export function toContactBody(request: DecodedUpsertContactRequestProto): Record<string, unknown> {
  const optional = (name: string, value: string | null | undefined) =>
    value === undefined || value === null ? {} : { [name]: value };
  return {
    phone: request.phone,
    ...optional('firstName', request.first_name),
    ...optional('lastName', request.last_name),
    ...optional('email', request.email),
    ...optional('companyName', request.company_name),
    ...optional('timeZone', request.time_zone),
    tags: request.tags,
    customFields: Object.fromEntries(
      Object.entries(request.custom_fields).map(([key, value]) => [key, toFieldValue(key, value)]),
    ),
  };
}

export function toContactProto(contact: ContactResource): ContactProto {
  return {
    id: contact.id,
    version: contact.version,
    phone: contact.phone,
    first_name: contact.firstName,
    last_name: contact.lastName,
    email: contact.email,
    company_name: contact.companyName,
    time_zone: contact.timeZone,
    tags: contact.tags,
    custom_fields: Object.fromEntries(
      Object.entries(contact.customFields).map(([key, value]) => [key, toFieldValueProto(value)]),
    ),
    update_time: toTimestampProto(contact.updatedAt),
  };
}

export function toUpsertContactResponse(outcome: ContactUpsertOutcome): UpsertContactResponseProto {
  if (outcome.status === 'pending') {
    return {
      status: 'CONTACT_REQUEST_STATUS_PENDING',
      request_id: outcome.requestId,
      created: false,
      contact: null,
    };
  }
  return {
    status: 'CONTACT_REQUEST_STATUS_RECORDED',
    request_id: '',
    created: outcome.created,
    contact: toContactProto(outcome.contact),
  };
}

export function toGetContactResponse(contact: ContactDetailResource): GetContactResponseProto {
  return {
    contact: toContactProto(contact),
    last_message_time:
      contact.lastMessageAt === null ? null : toTimestampProto(contact.lastMessageAt),
  };
}

export function toListContactsResponse(page: ContactPage): ListContactsResponseProto {
  return {
    contacts: page.items.map(toContactProto),
    next_page_token: page.nextCursor ?? '',
  };
}

export function toDeleteContactResponse(outcome: ContactDeleteOutcome): DeleteContactResponseProto {
  return outcome.status === 'pending'
    ? { status: 'CONTACT_REQUEST_STATUS_PENDING', request_id: outcome.requestId }
    : { status: 'CONTACT_REQUEST_STATUS_RECORDED', request_id: '' };
}
