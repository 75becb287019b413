import { countSegments } from '@textplane/segments';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MergeContext } from './merge-context.js';
import { MergeFieldRenderer } from './merge-field-renderer.js';

const renderer = new MergeFieldRenderer();
const now = new Date('2024-03-05T01:30:00Z');

const context: MergeContext = {
  contact: {
    firstName: 'Ann',
    lastName: 'Lee',
    email: 'ann@example.com',
    phone: '+15551234567',
    companyName: 'Lee & Co',
    customFields: { plan: 'gold', visits: 3, vip: true, renewal: '2024-04-01', empty: '  ' },
  },
  customValues: { offer: '20% off' },
  business: { name: 'Acme' },
  timeZone: 'America/New_York',
  now,
};

function text(body: string, ctx: MergeContext = context): string {
  const result = renderer.render(body, ctx);
  if (!result.ok) throw new Error(`expected a text, got ${JSON.stringify(result.error)}`);
  return result.text;
}

describe('MergeFieldRenderer.render', () => {
  it.each([
    ['{{ contact.first_name }}', 'Ann'],
    ['{{ contact.last_name }}', 'Lee'],
    ['{{ contact.full_name }}', 'Ann Lee'],
    ['{{ contact.email }}', 'ann@example.com'],
    ['{{ contact.phone }}', '+15551234567'],
    ['{{ contact.company_name }}', 'Lee & Co'],
    ['{{ contact.plan }}', 'gold'],
    ['{{ contact.visits | plus: 1 }}', '4'],
    ['{{ custom_values.offer }}', '20% off'],
    ['{{ business.name }}', 'Acme'],
    ['{{ contact.first_name | upcase }}', 'ANN'],
    ['{{ contact.plan | capitalize }}', 'Gold'],
    ['{{ contact.email | truncate: 6 }}', 'ann...'],
    ['{{ contact.nickname | default: "there" }}', 'there'],
    ['{{ contact.empty | default: "there" }}', 'there'],
    ['{% if contact.vip %}VIP{% else %}member{% endif %}', 'VIP'],
    ['{% unless contact.nickname %}no nickname{% endunless %}', 'no nickname'],
    ['{% case contact.plan %}{% when "gold" %}G{% when "silver" %}S{% else %}-{% endcase %}', 'G'],
    ['<b>{{ contact.company_name }}</b> &amp; "x"', '<b>Lee & Co</b> &amp; "x"'],
    ['{% raw %}{{ not a field }}{% endraw %}', '{{ not a field }}'],
  ])('%s → %s', (body, expected) => {
    expect(text(body)).toBe(expected);
  });

  it('full_name is whichever name is present', () => {
    expect(text('{{ contact.full_name }}', { ...context, contact: { lastName: 'Lee' } })).toBe(
      'Lee',
    );
  });

  it('shows instants in the recipient zone, calendar dates unshifted, now from the clock', () => {
    expect(text('{{ "2024-03-05T01:30:00Z" | date: "%Y-%m-%d %H:%M" }}')).toBe('2024-03-04 20:30');
    expect(
      text('{{ "2024-03-05T01:30:00Z" | date: "%H:%M" }}', { ...context, timeZone: 'Asia/Tokyo' }),
    ).toBe('10:30');
    expect(text('{{ contact.renewal | date: "%b %-d" }}')).toBe('Apr 1');
    expect(text('{{ "now" | date: "%Y-%m-%d" }}')).toBe('2024-03-04');
    expect(text('{{ "2024-07-01T12:00:00Z" | date: "%H:%M", "Europe/Paris" }}')).toBe('14:00');
  });

  it.each([
    ['Hi {{ contact.nickname }}', 'contact.nickname', 1, 4],
    ['Hi\n  {{ contact.first_name }}', 'contact.first_name', 2, 3],
    ['{{ contact.empty | upcase }}', 'contact.empty', 1, 1],
    ['{{ custom_values.missing }}', 'custom_values.missing', 1, 1],
    ['{{ "Hi " | append: contact.nickname }}', 'contact.nickname', 1, 1],
    ['{{ contact.nickname | default: contact.other }}', 'contact.other', 1, 1],
  ])('%j without a value is missing_merge_value naming %s', (body, variable, line, column) => {
    const ctx: MergeContext = body.includes('first_name') ? { ...context, contact: null } : context;
    expect(renderer.render(body, ctx)).toMatchObject({
      ok: false,
      error: { code: 'missing_merge_value', variable, line, column },
    });
  });

  it('a missing value only inside a branch not taken is no error', () => {
    expect(text('{% if contact.nickname %}{{ contact.nickname }}{% else %}hi{% endif %}')).toBe(
      'hi',
    );
  });

  it('counts an emoji in a value as UCS-2', () => {
    const body = 'Hi {{ contact.first_name }}, your order is ready';
    expect(countSegments(text(body)).encoding).toBe('GSM-7');
    const emoji = text(body, { ...context, contact: { firstName: 'Ann 🎉' } });
    expect(countSegments(emoji).encoding).toBe('UCS-2');
  });

  it('refuses an unknown zone or a bad clock as a caller error', () => {
    expect(() => renderer.render('x', { ...context, timeZone: 'Mars/Olympus' })).toThrow(
      RangeError,
    );
    expect(() => renderer.render('x', { ...context, now: new Date(Number.NaN) })).toThrow(
      TypeError,
    );
  });

  it('hits the memory limit as limit_exceeded', () => {
    const tight = new MergeFieldRenderer({ limits: { memoryLimit: 10 } });
    expect(tight.render('{{ business.name | append: "0123456789" }}', context)).toMatchObject({
      ok: false,
      error: { code: 'invalid_template', reason: 'limit_exceeded' },
    });
  });

  it('hits the render time limit as limit_exceeded', () => {
    // A negative budget is spent before the first check, whatever the machine's speed.
    const tight = new MergeFieldRenderer({ limits: { renderLimit: -1 } });
    expect(tight.render('Hi {{ business.name }}', context)).toMatchObject({
      ok: false,
      error: { code: 'invalid_template', reason: 'limit_exceeded' },
    });
  });

  it('is deterministic and leaves literal text alone (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (literal, name) => {
        fc.pre(!literal.includes('{') && !literal.includes('%') && name.trim() !== '');
        const ctx: MergeContext = { ...context, contact: { firstName: name } };
        const first = renderer.render(`${literal}{{ contact.first_name }}`, ctx);
        expect(first).toEqual({ ok: true, text: `${literal}${name}` });
        expect(renderer.render(`${literal}{{ contact.first_name }}`, ctx)).toEqual(first);
      }),
    );
  });
});

describe('MergeFieldRenderer.validate', () => {
  it('lists the variables used, once each, in order', () => {
    expect(
      renderer.validate(
        'Hi {{ contact.first_name | default: "there" }} from {{ business.name }}.\n' +
          '{% if contact.first_name %}{{ custom_values.offer }}{% endif %}',
      ),
    ).toEqual({
      ok: true,
      variables: [
        { name: 'contact.first_name', root: 'contact', key: 'first_name', line: 1, column: 7 },
        { name: 'business.name', root: 'business', key: 'name', line: 1, column: 56 },
        { name: 'custom_values.offer', root: 'custom_values', key: 'offer', line: 2, column: 31 },
      ],
    });
  });

  it.each([
    ['Hi {{ contact.first_name ', 'syntax', 1, 4],
    ['Hi\n{% if contact.vip %}x', 'syntax', 2, 1],
    ['Hi {{ user.name }}', 'unknown_variable', 1, 7],
    ['Hi\n{{ contact.FirstName }}', 'unknown_variable', 2, 4],
    ['{{ contact }}', 'unknown_variable', 1, 4],
    ['{{ contact.first_name.size }}', 'unknown_variable', 1, 4],
    ['{{ business.phone }}', 'unknown_variable', 1, 4],
    ['{% include "header" %}', 'unsupported_tag', 1, 1],
    ['x {% render "header" %}', 'unsupported_tag', 1, 3],
    ['{% layout "base" %}', 'unsupported_tag', 1, 1],
    ['{% for i in (1..9) %}{{ i }}{% endfor %}', 'unsupported_tag', 1, 1],
    ['{% assign x = 1 %}', 'unsupported_tag', 1, 1],
    ['{{ business.name | json }}', 'unsupported_filter', 1, 1],
  ])('%j is invalid_template (%s) at %i:%i', (body, reason, line, column) => {
    const result = renderer.validate(body);
    expect(result).toMatchObject({
      ok: false,
      errors: [{ code: 'invalid_template', reason, line, column }],
    });
    expect(renderer.render(body, context)).toMatchObject({
      ok: false,
      error: { code: 'invalid_template', reason },
    });
  });

  it('reports every unknown variable', () => {
    const result = renderer.validate('{{ a.b }} {{ contact.first_name }} {{ c }}');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((error) => error.variable)).toEqual(['a.b', 'c']);
  });

  it('refuses a body over the parse limit at the position the limit falls', () => {
    const small = new MergeFieldRenderer({ limits: { parseLimit: 12 } });
    expect(small.validate('0123456789\n0123')).toMatchObject({
      ok: false,
      errors: [{ reason: 'limit_exceeded', line: 2, column: 2 }],
    });
  });
});
