import { describe, expect, it } from 'vitest';
import { normaliseEin, parseBrand, parseCampaign } from './registration-fields.js';
import { CAMPAIGN_USECASES } from './vocabulary.js';

const privateBrand = {
  entityType: 'PRIVATE_PROFIT',
  displayName: 'Acme Dental',
  companyName: 'Acme Dental LLC',
  ein: '12-3456789',
  phone: '+15125550100',
  street: '1 Main St',
  city: 'Austin',
  state: 'TX',
  postalCode: '78701',
  country: 'US',
  email: 'ops@acmedental.example',
  website: 'https://acmedental.example',
  vertical: 'HEALTHCARE',
};

const soleProprietor = {
  entityType: 'SOLE_PROPRIETOR',
  displayName: "John's Plumbing",
  firstName: 'John',
  lastName: 'Doe',
  mobilePhone: '+15125550101',
  phone: '+15125550101',
  street: '2 Elm St',
  city: 'Austin',
  state: 'TX',
  postalCode: '78702',
  country: 'US',
  email: 'john@plumbing.example',
  vertical: 'CONSTRUCTION',
};

const campaign = {
  brandId: 'brand-1',
  usecase: 'ACCOUNT_NOTIFICATION',
  description: 'Appointment reminders and confirmations for patients of Acme Dental.',
  messageFlow:
    'Patients tick an SMS consent box on the booking form at https://acmedental.example/book.',
  sampleMessages: ['Acme Dental: your cleaning is on Tue 3 PM. Reply STOP to opt out.'],
  helpMessage: 'Acme Dental: help at support@acmedental.example. Reply STOP to opt out.',
  optoutMessage: 'Acme Dental: you are unsubscribed and will receive no more messages.',
};

describe('normaliseEin', () => {
  it.each([
    ['12-3456789', '12-3456789'],
    ['123456789', '12-3456789'],
    [' 12-3456789 ', '12-3456789'],
    ['12-345678', null],
    ['1234567890', null],
    ['123-456789', null],
    ['12 3456789', null],
    ['AB-CDEFGHI', null],
  ])('%j → %j', (input, expected) => {
    expect(normaliseEin(input)).toBe(expected);
  });
});

describe('parseBrand: required fields per entity type', () => {
  it('takes a private company, the EIN written XX-XXXXXXX', () => {
    expect(parseBrand({ ...privateBrand, ein: '123456789' })).toEqual({
      ok: true,
      brand: { ...privateBrand, ein: '12-3456789' },
    });
  });

  it('names every missing field of an empty body', () => {
    expect(parseBrand({})).toEqual({
      ok: false,
      errors: [
        'entityType',
        'displayName',
        'country',
        'phone',
        'street',
        'city',
        'state',
        'postalCode',
        'email',
        'vertical',
      ].map((field) => ({ field, message: 'is required' })),
    });
  });

  it.each(['PRIVATE_PROFIT', 'NON_PROFIT', 'GOVERNMENT', 'PUBLIC_PROFIT'])(
    '%s needs a legal company name and an EIN',
    (entityType) => {
      const { companyName: _c, ein: _e, ...rest } = privateBrand;
      const result = parseBrand({
        ...rest,
        entityType,
        stockSymbol: 'ACME',
        stockExchange: 'NASDAQ',
        businessContactEmail: 'ir@acme.example',
      });
      expect(result).toEqual({
        ok: false,
        errors: [
          { field: 'companyName', message: 'is required' },
          { field: 'ein', message: 'is required' },
        ],
      });
    },
  );

  it('PUBLIC_PROFIT needs a stock symbol, an exchange that is not NONE, and a business contact e-mail', () => {
    expect(parseBrand({ ...privateBrand, entityType: 'PUBLIC_PROFIT' })).toEqual({
      ok: false,
      errors: [
        { field: 'stockSymbol', message: 'is required' },
        { field: 'stockExchange', message: 'is required' },
        { field: 'businessContactEmail', message: 'is required' },
      ],
    });
    expect(
      parseBrand({
        ...privateBrand,
        entityType: 'PUBLIC_PROFIT',
        stockSymbol: 'acme',
        stockExchange: 'NONE',
        businessContactEmail: 'ir@acme.example',
      }),
    ).toEqual({
      ok: false,
      errors: [
        {
          field: 'stockExchange',
          message: 'must name the exchange a PUBLIC_PROFIT brand is listed on (not NONE)',
        },
      ],
    });
    expect(
      parseBrand({
        ...privateBrand,
        entityType: 'PUBLIC_PROFIT',
        stockSymbol: 'acme',
        stockExchange: 'NYSE',
        businessContactEmail: 'ir@acme.example',
      }),
    ).toEqual({
      ok: true,
      brand: {
        ...privateBrand,
        entityType: 'PUBLIC_PROFIT',
        stockSymbol: 'ACME',
        stockExchange: 'NYSE',
        businessContactEmail: 'ir@acme.example',
      },
    });
  });

  it('SOLE_PROPRIETOR needs no company name nor EIN, but a name and a mobile phone for the OTP', () => {
    expect(parseBrand(soleProprietor)).toEqual({ ok: true, brand: soleProprietor });
    const { firstName: _f, lastName: _l, mobilePhone: _m, ...rest } = soleProprietor;
    expect(parseBrand(rest)).toEqual({
      ok: false,
      errors: [
        { field: 'firstName', message: 'is required' },
        { field: 'lastName', message: 'is required' },
        { field: 'mobilePhone', message: 'is required' },
      ],
    });
  });

  it('SOLE_PROPRIETOR must not give an EIN', () => {
    expect(parseBrand({ ...soleProprietor, ein: '12-3456789' })).toEqual({
      ok: false,
      errors: [
        { field: 'ein', message: 'must not be given for a SOLE_PROPRIETOR brand (it has no EIN)' },
      ],
    });
  });

  it('names a malformed EIN, phone, state, ZIP, e-mail, website, vertical and entity type', () => {
    expect(
      parseBrand({
        ...privateBrand,
        entityType: 'LLC',
        ein: '12-34567',
        phone: '512-555-0100',
        state: 'Texas',
        postalCode: '787',
        email: 'ops-at-acme',
        website: 'acme dental',
        vertical: 'DENTISTRY',
        country: 'usa',
      }),
    ).toEqual({
      ok: false,
      errors: [
        {
          field: 'entityType',
          message:
            'must be one of PRIVATE_PROFIT, PUBLIC_PROFIT, NON_PROFIT, GOVERNMENT, SOLE_PROPRIETOR (got "LLC")',
        },
        { field: 'country', message: 'must be an ISO 3166-1 alpha-2 code such as US (got "usa")' },
        { field: 'ein', message: 'must be 9 digits, written XX-XXXXXXX (got "12-34567")' },
        {
          field: 'phone',
          message: 'must be an E.164 number such as +15125550100 (got "512-555-0100")',
        },
        { field: 'email', message: 'must be an e-mail address (got "ops-at-acme")' },
        { field: 'website', message: 'must be an http(s) URL (got "acme dental")' },
        {
          field: 'vertical',
          message: expect.stringMatching(
            /^must be one of AGRICULTURE, .* \(got "DENTISTRY"\)$/u,
          ) as string,
        },
      ],
    });
  });

  it("checks a US state and ZIP, and takes other countries' as written (and their tax id)", () => {
    expect(parseBrand({ ...privateBrand, state: 'Texas', postalCode: '787' })).toEqual({
      ok: false,
      errors: [
        { field: 'state', message: 'must be a two-letter US state code such as TX (got "Texas")' },
        { field: 'postalCode', message: 'must be a US ZIP code such as 78701 (got "787")' },
      ],
    });
    const canadian = {
      ...privateBrand,
      country: 'CA',
      state: 'Ontario',
      postalCode: 'M5V 2T6',
      ein: '123456789RC0001',
    };
    expect(parseBrand(canadian)).toEqual({ ok: true, brand: canadian });
  });

  it('refuses unknown fields, wrong types and blanks', () => {
    expect(parseBrand({ ...privateBrand, Ein: '1', displayName: '  ', city: 7 })).toEqual({
      ok: false,
      errors: [
        { field: 'Ein', message: 'is not a known field' },
        { field: 'displayName', message: 'must not be blank' },
        { field: 'city', message: 'must be a string (got 7)' },
      ],
    });
    expect(parseBrand(null)).toEqual({
      ok: false,
      errors: [{ field: '', message: 'must be an object' }],
    });
  });
});

describe('parseCampaign', () => {
  it('takes a valid campaign, with the default keywords and flags', () => {
    expect(parseCampaign(campaign)).toEqual({
      ok: true,
      campaign: {
        ...campaign,
        helpKeywords: ['HELP'],
        optinKeywords: [],
        optoutKeywords: ['STOP'],
        embeddedLink: false,
        embeddedPhone: false,
        numberPool: false,
        ageGated: false,
        directLending: false,
      },
    });
  });

  it('names every missing field of an empty body', () => {
    expect(parseCampaign({})).toEqual({
      ok: false,
      errors: [
        'brandId',
        'usecase',
        'description',
        'messageFlow',
        'sampleMessages',
        'helpMessage',
        'optoutMessage',
      ].map((field) => ({ field, message: 'is required' })),
    });
  });

  it.each(CAMPAIGN_USECASES.filter((u) => u !== 'SOLE_PROPRIETOR'))(
    'takes the use case %s',
    (usecase) => {
      expect(parseCampaign({ ...campaign, usecase }).ok).toBe(true);
    },
  );

  it('refuses an unknown use case', () => {
    expect(parseCampaign({ ...campaign, usecase: 'NEWSLETTER' })).toEqual({
      ok: false,
      errors: [{ field: 'usecase', message: 'is not a known use case (got "NEWSLETTER")' }],
    });
    expect(parseCampaign({ ...campaign, usecase: '2fa' }).ok).toBe(false);
  });

  it.each([
    [[], 'must hold 1 to 5 messages (got 0)'],
    [['a', 'b', 'c', 'd', 'e', 'f'], 'must hold 1 to 5 messages (got 6)'],
    ['Acme: hi', 'must be an array of 1 to 5 messages (got "Acme: hi")'],
  ])('refuses sampleMessages %j', (sampleMessages, message) => {
    expect(parseCampaign({ ...campaign, sampleMessages })).toEqual({
      ok: false,
      errors: [{ field: 'sampleMessages', message }],
    });
  });

  it('takes 5 samples of 1,024 characters, refuses 1,025 and blanks, by item', () => {
    const max = 'x'.repeat(1024);
    expect(parseCampaign({ ...campaign, sampleMessages: [max, max, max, max, max] }).ok).toBe(true);
    expect(parseCampaign({ ...campaign, sampleMessages: ['ok', `${max}y`, ' ', 3] })).toEqual({
      ok: false,
      errors: [
        { field: 'sampleMessages.1', message: 'must be at most 1024 characters (got 1025)' },
        { field: 'sampleMessages.2', message: 'must not be blank' },
        { field: 'sampleMessages.3', message: 'must be a string (got 3)' },
      ],
    });
  });

  it('needs a description and message flow of 40 characters at least', () => {
    expect(
      parseCampaign({ ...campaign, description: 'Reminders', messageFlow: 'Web form' }),
    ).toEqual({
      ok: false,
      errors: [
        { field: 'description', message: 'must be at least 40 characters (got 9)' },
        { field: 'messageFlow', message: 'must be at least 40 characters (got 8)' },
      ],
    });
  });

  it('reads keywords as Telnyx writes them or as an array, upper-cased', () => {
    const result = parseCampaign({
      ...campaign,
      helpKeywords: 'help, info',
      optoutKeywords: ['STOP', 'quit', 'End'],
      optinKeywords: 'START,YES',
      optinMessage: 'Acme Dental: you are subscribed. Reply STOP to opt out.',
    });
    expect(result.ok && result.campaign).toMatchObject({
      helpKeywords: ['HELP', 'INFO'],
      optoutKeywords: ['STOP', 'QUIT', 'END'],
      optinKeywords: ['START', 'YES'],
    });
  });

  it('names bad keywords: HELP and STOP required, one word each, no repeats, no overlap', () => {
    expect(
      parseCampaign({
        ...campaign,
        helpKeywords: 'INFO',
        optoutKeywords: ['STOP', 'opt out', 'STOP', 5],
        optinKeywords: 'START,INFO',
      }),
    ).toEqual({
      ok: false,
      errors: [
        { field: 'optinMessage', message: 'is required' },
        { field: 'helpKeywords', message: 'must include HELP (CTIA)' },
        {
          field: 'optoutKeywords.1',
          message: 'must be one word of letters and digits, at most 15 (got "opt out")',
        },
        { field: 'optoutKeywords.2', message: 'repeats STOP' },
        { field: 'optoutKeywords.3', message: 'must be a keyword string (got 5)' },
        { field: 'optinKeywords', message: 'shares INFO with helpKeywords' },
      ],
    });
    expect(
      parseCampaign({
        ...campaign,
        optinMessage: 'Acme Dental: subscribed. Reply STOP to opt out.',
      }),
    ).toEqual({
      ok: false,
      errors: [
        {
          field: 'optinKeywords',
          message: 'is required with optinMessage (the keywords that send it)',
        },
      ],
    });
  });

  it('needs booleans for the flags', () => {
    expect(parseCampaign({ ...campaign, embeddedLink: 'yes', ageGated: true })).toEqual({
      ok: false,
      errors: [{ field: 'embeddedLink', message: 'must be true or false (got "yes")' }],
    });
  });

  it('knows the sole proprietor rules when the brand is given', () => {
    const sole = { ...campaign, usecase: 'SOLE_PROPRIETOR' };
    expect(
      parseCampaign(sole, { brandEntityType: 'SOLE_PROPRIETOR', brandCampaignCount: 0 }).ok,
    ).toBe(true);
    expect(
      parseCampaign(sole, { brandEntityType: 'SOLE_PROPRIETOR', brandCampaignCount: 1 }),
    ).toEqual({
      ok: false,
      errors: [
        {
          field: 'brandId',
          message: 'a SOLE_PROPRIETOR brand may have only one campaign, and this one has one',
        },
      ],
    });
    expect(parseCampaign(campaign, { brandEntityType: 'SOLE_PROPRIETOR' })).toEqual({
      ok: false,
      errors: [
        {
          field: 'usecase',
          message: 'must be SOLE_PROPRIETOR for a SOLE_PROPRIETOR brand (got ACCOUNT_NOTIFICATION)',
        },
      ],
    });
    expect(parseCampaign(sole, { brandEntityType: 'PRIVATE_PROFIT' })).toEqual({
      ok: false,
      errors: [
        {
          field: 'usecase',
          message: 'is only for SOLE_PROPRIETOR brands (this one is PRIVATE_PROFIT)',
        },
      ],
    });
    // Without the brand, the rules that need it are skipped.
    expect(parseCampaign(sole).ok).toBe(true);
  });

  it('refuses unknown fields (sample1 is not how textplane takes samples)', () => {
    expect(parseCampaign({ ...campaign, sample1: 'hi' })).toEqual({
      ok: false,
      errors: [{ field: 'sample1', message: 'is not a known field' }],
    });
  });
});
