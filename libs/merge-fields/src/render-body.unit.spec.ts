import { describe, expect, it } from 'vitest';
import { MergeFieldRenderer } from './merge-field-renderer.js';
import { mergeFieldsOf, renderBody } from './render-body.js';

const renderer = new MergeFieldRenderer();
const now = new Date('2026-12-01T12:00:00.000Z');

describe('renderBody', () => {
  it('renders a stored contact, custom values and the business', () => {
    const result = renderBody(
      renderer,
      'Hi {{ contact.first_name }} from {{ business.name }}: {{ custom_values.offer }} ({{ contact.plan }})',
      {
        contact: { phone: '+15550001111', firstName: 'Ada', customFields: { plan: 'gold' } },
        customValues: { offer: '10% off' },
        businessName: 'Acme',
        timeZone: 'UTC',
        now,
      },
    );
    expect(result).toEqual({ ok: true, text: 'Hi Ada from Acme: 10% off (gold)' });
  });

  it('a missing value without a default is an error naming the variable', () => {
    const result = renderBody(renderer, 'Hi {{ contact.first_name }}', {
      contact: { phone: '+15550001111', customFields: {} },
      businessName: 'Acme',
      timeZone: 'UTC',
      now,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('missing_merge_value');
  });

  it('without a contact, only the phone is known', () => {
    expect(
      renderBody(renderer, 'To {{ contact.phone }}', {
        contact: null,
        phone: '+15550002222',
        businessName: 'Acme',
        timeZone: 'UTC',
        now,
      }),
    ).toEqual({ ok: true, text: 'To +15550002222' });
  });

  it('a stored date stays a date; an instant becomes a Date', () => {
    const fields = mergeFieldsOf({
      phone: '+15550001111',
      customFields: { birthday: { date: '1990-05-01' }, seen: { date: '2026-01-01T10:00:00Z' } },
    });
    expect(fields.customFields?.['birthday']).toBe('1990-05-01');
    expect(fields.customFields?.['seen']).toEqual(new Date('2026-01-01T10:00:00Z'));
  });
});
