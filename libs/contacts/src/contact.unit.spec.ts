import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ERRORS, RESERVED_CUSTOM_FIELD_KEYS, parseContact } from './contact.js';

const PHONE = '+15555550123';

/** The errors parseContact gives for one body, or the contact when it accepts. */
function parse(input: Record<string, unknown>, id = 'crm-1') {
  return parseContact(id, { phone: PHONE, ...input });
}

function fieldsOf(input: Record<string, unknown>, id?: string): string[] {
  const result = parse(input, id);
  return result.ok ? [] : result.errors.map((error) => error.field);
}

describe('parseContact: the contact id', () => {
  it.each(['a', 'crm-1', 'A.b_c:d-9', 'x'.repeat(128), '0031t00000ABCDE'])('accepts %j', (id) => {
    expect(parse({}, id)).toEqual({
      ok: true,
      contact: { id, phone: PHONE, tags: [], customFields: {} },
    });
  });

  it.each(['', 'x'.repeat(129), 'a b', 'a/b', 'é', 'a\u0000', '../etc', 'a#1'])(
    'refuses %j, naming id',
    (id) => {
      expect(fieldsOf({}, id)).toEqual(['id']);
    },
  );

  it('accepts an id in the body only when it equals the contact id', () => {
    expect(parse({ id: 'crm-1' }).ok).toBe(true);
    expect(fieldsOf({ id: 'crm-2' })).toEqual(['id']);
  });
});

describe('parseContact: phone', () => {
  it.each(['+15555550123', '+447911123456', '+33612345678', '+21234', '+999999999999999'])(
    'accepts %s',
    (phone) => {
      expect(parse({ phone }).ok).toBe(true);
    },
  );

  it.each([
    ['5555550123'],
    ['+1 555 555 0123'],
    ['+1555555012'],
    ['+11555550123'],
    ['+0123456'],
    ['+1234567890123456'],
    ['++15555550123'],
    [15555550123],
    [''],
  ])('refuses %j, naming phone', (phone) => {
    const result = parse({ phone });
    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'phone', message: expect.stringContaining('E.164') as unknown }],
    });
  });

  it('requires it (absent or null)', () => {
    for (const input of [{}, { phone: null }]) {
      expect(parseContact('crm-1', input)).toEqual({
        ok: false,
        errors: [{ field: 'phone', message: 'is required' }],
      });
    }
  });
});

describe('parseContact: names and company', () => {
  it.each([
    ['firstName', 'Ana'],
    ['firstName', 'Zoë 🙂'],
    ['firstName', '😀'.repeat(100)],
    ['lastName', "O'Brien-Smith"],
    ['lastName', 'x'.repeat(100)],
    ['companyName', 'x'.repeat(200)],
    ['companyName', '=HYPERLINK("http://evil")'],
  ])('accepts %s %j verbatim', (field, value) => {
    const result = parse({ [field]: value });
    expect(result.ok && result.contact[field as 'firstName']).toBe(value);
  });

  it.each([
    ['firstName', 'x'.repeat(101), 'at most 100'],
    ['lastName', 'x'.repeat(101), 'at most 100'],
    ['companyName', 'x'.repeat(201), 'at most 200'],
    ['firstName', '', 'blank'],
    ['firstName', '  \t', 'control'],
    ['lastName', '   ', 'blank'],
    ['firstName', 'Ana\nBob', 'control'],
    ['firstName', 'Ana\u0000', 'control'],
    ['companyName', 'Acme\u007f', 'control'],
    ['companyName', 'Acme\u0085', 'control'],
    ['firstName', 'Ana\ud800', 'unpaired surrogates'],
    ['lastName', '\udc00x', 'unpaired surrogates'],
    ['firstName', 42, 'must be a string'],
    ['lastName', ['Ana'], 'must be a string'],
  ])('refuses %s %j, naming it', (field, value, message) => {
    expect(parse({ [field]: value })).toEqual({
      ok: false,
      errors: [{ field, message: expect.stringContaining(message) as unknown }],
    });
  });

  it('treats null as none', () => {
    expect(parse({ firstName: null, lastName: null, companyName: null })).toEqual({
      ok: true,
      contact: { id: 'crm-1', phone: PHONE, tags: [], customFields: {} },
    });
  });
});

describe('parseContact: email', () => {
  it.each([
    'ana@example.com',
    'ana.maria+crm@mail.example.co.uk',
    "o'brien@example.ie",
    'x@bücher.de',
    `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}`,
  ])('accepts %s', (email) => {
    expect(parse({ email })).toMatchObject({ ok: true, contact: { email } });
  });

  it.each([
    ['ana', 'email address'],
    ['ana@', 'email address'],
    ['@example.com', 'email address'],
    ['ana@example', 'email address'],
    ['ana@@example.com', 'email address'],
    ['ana maria@example.com', 'email address'],
    ['.ana@example.com', 'email address'],
    ['ana..m@example.com', 'email address'],
    ['ana@-example.com', 'email address'],
    ['ana@example..com', 'email address'],
    ['ana@192.168.0.1', 'email address'],
    [`${'a'.repeat(65)}@example.com`, 'email address'],
    [`a@${'b'.repeat(250)}.com`, 'at most 254'],
    ['ana@example.com\n', 'control'],
    [7, 'must be a string'],
  ])('refuses %j, naming email', (email, message) => {
    expect(parse({ email })).toEqual({
      ok: false,
      errors: [{ field: 'email', message: expect.stringContaining(message) as unknown }],
    });
  });
});

describe('parseContact: timeZone', () => {
  it.each([
    ['America/New_York', 'America/New_York'],
    ['america/new_york', 'America/New_York'],
    ['US/Eastern', 'America/New_York'],
    ['Europe/Paris', 'Europe/Paris'],
    ['UTC', 'UTC'],
    ['Etc/UTC', 'UTC'],
  ])('accepts %s as %s', (timeZone, canonical) => {
    expect(parse({ timeZone })).toMatchObject({ ok: true, contact: { timeZone: canonical } });
  });

  it.each(['Mars/Olympus', '+05:00', '-0500', '', 'America/New York', 'x'.repeat(65), 5])(
    'refuses %j, naming timeZone',
    (timeZone) => {
      expect(fieldsOf({ timeZone })).toEqual(['timeZone']);
    },
  );
});

describe('parseContact: tags', () => {
  it('trims, collapses duplicates, keeps first order', () => {
    expect(parse({ tags: [' vip', 'gold ', 'vip', 'Gold', 'gold'] })).toMatchObject({
      ok: true,
      contact: { tags: ['vip', 'gold', 'Gold'] },
    });
  });

  it('accepts 100 distinct tags of 64 characters, and 150 items that are 100 distinct', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => `${i}`.padStart(64, 't'));
    expect(parse({ tags: hundred })).toMatchObject({ ok: true, contact: { tags: hundred } });
    expect(parse({ tags: [...hundred, ...hundred.slice(0, 50)] }).ok).toBe(true);
  });

  it.each([
    [{ tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, ['tags']],
    [{ tags: Array.from({ length: 1001 }, () => 'same') }, ['tags']],
    [{ tags: 'vip' }, ['tags']],
    [{ tags: ['ok', ''] }, ['tags[1]']],
    [{ tags: ['ok', '   '] }, ['tags[1]']],
    [{ tags: ['ok', 'ok', 'x'.repeat(65)] }, ['tags[2]']],
    [{ tags: ['a;b'] }, ['tags[0]']],
    [{ tags: [1, 'ok', null] }, ['tags[0]', 'tags[2]']],
    [{ tags: ['ok', 'bad\u0001', 'lone\ud83d'] }, ['tags[1]', 'tags[2]']],
  ])('refuses %j, naming %j', (input, fields) => {
    expect(fieldsOf(input)).toEqual(fields);
  });
});

describe('parseContact: customFields', () => {
  it.each([
    ['plan', 'gold'],
    ['notes', 'line 1\nline 2\r\n\tindented'],
    ['notes', 'x'.repeat(1000)],
    ['seats', 12],
    ['balance', -0.5],
    ['vip', false],
    ['birthday', { date: '1990-02-28' }],
    ['leap_day', { date: '2024-02-29' }],
    ['constructor', 'plain'],
    ['a', 'one letter key'],
    ['k'.repeat(64), 'long key'],
  ])('accepts %s: %j', (key, value) => {
    expect(parse({ customFields: { [key]: value } })).toMatchObject({
      ok: true,
      contact: { customFields: { [key]: value } },
    });
  });

  it.each([
    ['2026-12-24T09:30:00Z', '2026-12-24T09:30:00.000Z'],
    ['2026-12-24T10:30+01:00', '2026-12-24T09:30:00.000Z'],
    ['2026-12-24T04:30:00.5-05:00', '2026-12-24T09:30:00.500Z'],
  ])('canonicalises the instant %s to %s', (date, canonical) => {
    expect(parse({ customFields: { renews_at: { date } } })).toMatchObject({
      ok: true,
      contact: { customFields: { renews_at: { date: canonical } } },
    });
  });

  it('drops a null value (PUT replaces the whole contact: null is "none")', () => {
    expect(parse({ customFields: { plan: null, seats: 3 } })).toMatchObject({
      ok: true,
      contact: { customFields: { seats: 3 } },
    });
  });

  it('accepts 200 keys and refuses 201', () => {
    const keys = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(parse({ customFields: keys(200) }).ok).toBe(true);
    expect(fieldsOf({ customFields: keys(201) })).toEqual(['customFields']);
  });

  it.each(RESERVED_CUSTOM_FIELD_KEYS.map((key) => [key]))('refuses the built-in name %s', (key) => {
    expect(parse({ customFields: { [key]: 'x' } })).toEqual({
      ok: false,
      errors: [{ field: `customFields.${key}`, message: 'key is a built-in contact field name' }],
    });
  });

  it.each([
    ['Plan', 'x'],
    ['1plan', 'x'],
    ['_plan', 'x'],
    ['plan-type', 'x'],
    ['plän', 'x'],
    ['k'.repeat(65), 'x'],
    ['', 'x'],
  ])('refuses the key %j, naming it', (key, value) => {
    expect(fieldsOf({ customFields: { [key]: value } })).toEqual([`customFields.${key}`]);
  });

  it('names a long bad key cut at 100 characters', () => {
    expect(fieldsOf({ customFields: { ['K'.repeat(500)]: 1 } })).toEqual([
      `customFields.${'K'.repeat(100)}…`,
    ]);
  });

  it.each([
    ['plan', 'x'.repeat(1001)],
    ['plan', ''],
    ['plan', 'bell\u0007'],
    ['plan', 'lone\udfff'],
    ['seats', Number.POSITIVE_INFINITY],
    ['seats', Number.NaN],
    ['tags_list', ['a']],
    ['when', { date: '2026-02-30' }],
    ['when', { date: '2026-13-01' }],
    ['when', { date: '26-12-24' }],
    ['when', { date: '2026-12-24T09:30:00' }],
    ['when', { date: '2026-12-24T25:00:00Z' }],
    ['when', { date: '2026-12-24 09:30:00Z' }],
    ['when', { date: '9999-12-31T23:00:00-05:00' }],
    ['when', { date: 20261224 }],
    ['when', { date: '2026-12-24', zone: 'UTC' }],
    ['when', {}],
  ])('refuses %s: %j, naming it', (key, value) => {
    expect(fieldsOf({ customFields: { [key]: value } })).toEqual([`customFields.${key}`]);
  });

  it.each([['plan'], [['a']], [7]])('refuses customFields = %j', (customFields) => {
    expect(fieldsOf({ customFields })).toEqual(['customFields']);
  });
});

describe('parseContact: the record', () => {
  it('accepts a full contact', () => {
    const input = {
      phone: '+447911123456',
      firstName: 'Ana',
      lastName: 'Lima',
      email: 'ana@example.com',
      companyName: 'Acme',
      timeZone: 'Europe/London',
      tags: ['vip'],
      customFields: { plan: 'gold', seats: 3, vip: true, birthday: { date: '1990-01-31' } },
    };
    expect(parseContact('crm-9', input)).toEqual({ ok: true, contact: { id: 'crm-9', ...input } });
  });

  it.each([[null], ['text'], [[]], [42]])('refuses a body that is %j', (input) => {
    expect(parseContact('crm-1', input)).toEqual({
      ok: false,
      errors: [{ field: '(contact)', message: 'must be a JSON object' }],
    });
  });

  it('refuses unknown members, naming each (cut at 100 characters)', () => {
    expect(parse({ phoneNumber: '+1', first_name: 'Ana', ['z'.repeat(300)]: 1 })).toEqual({
      ok: false,
      errors: [
        { field: 'phoneNumber', message: 'is not a known field' },
        { field: 'first_name', message: 'is not a known field' },
        { field: `${'z'.repeat(100)}…`, message: 'is not a known field' },
      ],
    });
  });

  it('reports every problem at once', () => {
    expect(
      fieldsOf(
        {
          phone: '555',
          email: 'nope',
          timeZone: 'Nowhere/Land',
          tags: [''],
          customFields: { Bad: 1 },
          extra: 1,
        },
        'bad id',
      ),
    ).toEqual(['id', 'extra', 'phone', 'email', 'timeZone', 'tags[0]', 'customFields.Bad']);
  });

  it(`reports at most ${MAX_REPORTED_ERRORS} problems, then how many more`, () => {
    const junk = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`x${i}`, 1]));
    const result = parse(junk);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(result.errors.at(-1)).toEqual({ field: '(contact)', message: 'and 150 more problems' });
  });
});
