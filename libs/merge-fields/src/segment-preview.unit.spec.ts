import { countSegments } from '@textplane/segments';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContactFields } from './merge-context.js';
import { MergeFieldRenderer } from './merge-field-renderer.js';
import { ContactValueSummary, type PreviewInput } from './segment-preview.js';

const renderer = new MergeFieldRenderer();
const base = {
  business: { name: 'Acme' },
  timeZone: 'America/New_York',
  now: new Date('2024-03-05T12:00:00Z'),
};

function preview(body: string, contacts: ContactFields[], extra: Partial<PreviewInput> = {}) {
  return renderer.preview(body, { ...base, contacts, ...extra });
}

describe('MergeFieldRenderer.preview', () => {
  it('takes the longest and shortest GSM-7 values', () => {
    const contacts = [{ firstName: 'Al' }, { firstName: 'Bartholomew' }, { firstName: 'Cy' }];
    expect(preview('Hi {{ contact.first_name }}', contacts)).toEqual({
      ok: true,
      best: { encoding: 'GSM-7', segments: 1, characters: 5 },
      worst: { encoding: 'GSM-7', segments: 1, characters: 14 },
    });
  });

  it('counts extension-table characters as 2 septets when choosing the worst value', () => {
    // 'ab{}' costs 6 septets against 'abcde''s 5, although it has fewer characters.
    const body = `${'x'.repeat(155)}{{ contact.code }}`;
    const result = preview(body, [
      { customFields: { code: 'abcde' } },
      { customFields: { code: 'ab{}' } },
    ]);
    expect(result).toMatchObject({
      ok: true,
      worst: { encoding: 'GSM-7', segments: 2, characters: 159 },
      best: { encoding: 'GSM-7', segments: 1, characters: 160 },
    });
  });

  it('is UCS-2 in the worst case when any contact has a non GSM-7 value, GSM-7 at best', () => {
    const contacts = [{ firstName: 'Zoë 🎉' }, { firstName: 'Annabelle-Marie' }];
    const body = `${'Hello '.repeat(9)}{{ contact.first_name }}`;
    const result = preview(body, contacts);
    // Worst: the longest value (15 units) counted as UCS-2, because another value needs UCS-2.
    expect(result).toEqual({
      ok: true,
      worst: { encoding: 'UCS-2', segments: 1, characters: 69 },
      best: { encoding: 'GSM-7', segments: 1, characters: 69 },
    });
    const emojiOnly = preview(body, [{ firstName: 'Zoë 🎉' }]);
    expect(emojiOnly).toMatchObject({ ok: true, best: { encoding: 'UCS-2' } });
  });

  it('tries absence when a default may be longer than any value, and counts additions', () => {
    const contacts = [{ firstName: 'Al' }, {}];
    const result = preview('Hi {{ contact.first_name | default: "valued customer" }}', contacts, {
      additions: { prefix: 'Acme: ', suffix: '\nReply STOP to opt out.' },
    });
    const worstText = 'Acme: Hi valued customer\nReply STOP to opt out.';
    const bestText = 'Acme: Hi Al\nReply STOP to opt out.';
    expect(result).toEqual({
      ok: true,
      worst: { encoding: 'GSM-7', segments: 1, characters: countSegments(worstText).characters },
      best: { encoding: 'GSM-7', segments: 1, characters: countSegments(bestText).characters },
    });
  });

  it('finds a case branch picked by a value that is not an extreme', () => {
    const body =
      '{% case contact.plan %}{% when "gold" %}' + 'y'.repeat(200) + '{% else %}short{% endcase %}';
    const contacts = ['a', 'gold', 'platinum'].map((plan) => ({ customFields: { plan } }));
    expect(preview(body, contacts)).toMatchObject({
      ok: true,
      worst: { segments: 2, characters: 200 },
      best: { segments: 1, characters: 5 },
    });
  });

  it('is missing_merge_value when no contact has a value and there is no default', () => {
    expect(preview('Hi {{ contact.nickname }}', [{ firstName: 'Al' }])).toMatchObject({
      ok: false,
      error: { code: 'missing_merge_value', variable: 'contact.nickname' },
    });
    expect(preview('Hi {{ user.x }}', [])).toMatchObject({
      ok: false,
      error: { code: 'invalid_template', reason: 'unknown_variable' },
    });
  });

  it('accepts a summary built while streaming, with the same answer', () => {
    const contacts = [{ firstName: 'Al', lastName: 'Ng' }, { firstName: 'Bea 😀' }];
    const body = 'Hi {{ contact.full_name }}';
    const summary = new ContactValueSummary(['full_name']);
    for (const contact of contacts) summary.add(contact);
    expect(preview(body, contacts)).toEqual(renderer.preview(body, { ...base, contacts: summary }));
    expect(() =>
      renderer.preview(body, { ...base, contacts: new ContactValueSummary([]) }),
    ).toThrow(/lacks full_name/u);
  });

  it('brackets every contact: best ≤ each contact ≤ worst (property)', () => {
    const value = fc.option(
      fc.constantFrom('Al', 'Bartholomew', 'Zoë', 'José 🎉', '{x}', '€€', ''),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ firstName: value, lastName: value }), { minLength: 1, maxLength: 6 }),
        (contacts) => {
          const body =
            `${'Dear '.repeat(28)}{{ contact.first_name | default: "friend" }} ` +
            '{{ contact.last_name | default: "" }}';
          const result = preview(body, contacts);
          if (!result.ok) throw new Error(JSON.stringify(result.error));
          for (const contact of contacts) {
            const rendered = renderer.render(body, { ...base, contact });
            if (!rendered.ok) throw new Error(JSON.stringify(rendered.error));
            const count = countSegments(rendered.text);
            expect(count.segments).toBeLessThanOrEqual(result.worst.segments);
            expect(count.segments).toBeGreaterThanOrEqual(result.best.segments);
            if (count.encoding === 'UCS-2') expect(result.worst.encoding).toBe('UCS-2');
          }
        },
      ),
    );
  });
});
