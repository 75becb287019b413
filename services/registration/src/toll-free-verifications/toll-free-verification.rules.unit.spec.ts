import { describe, expect, it } from 'vitest';
import { tollFreeBody, tollFreeNumber } from '../../test/fixtures.js';
import { isTollFreeNumber, parseTollFreeVerification } from './toll-free-verification.rules.js';

function fieldsOf(input: unknown): string[] {
  const parsed = parseTollFreeVerification(input);
  if (parsed.ok) throw new Error('expected a refusal');
  return parsed.errors.map((e) => e.field).sort();
}

describe('toll-free verification field rules', () => {
  it('accepts a full body, trimmed, with optional fields kept and empty ones dropped', () => {
    const parsed = parseTollFreeVerification({
      ...tollFreeBody,
      businessName: ' Acme Dental LLC ',
      businessAddr2: '',
      privacyPolicyURL: 'https://acmedental.com/privacy',
      businessRegistrationCountry: 'us',
      ageGatedContent: false,
    });
    expect(parsed).toEqual({
      ok: true,
      verification: {
        ...tollFreeBody,
        privacyPolicyURL: 'https://acmedental.com/privacy',
        businessRegistrationCountry: 'US',
        ageGatedContent: false,
      },
    });
  });

  it('names every missing required field', () => {
    expect(fieldsOf({ phoneNumbers: [tollFreeNumber] })).toEqual(
      [
        'businessAddr1',
        'businessCity',
        'businessContactEmail',
        'businessContactFirstName',
        'businessContactLastName',
        'businessContactPhone',
        'businessName',
        'businessState',
        'businessZip',
        'corporateWebsite',
        'messageVolume',
        'optInWorkflow',
        'productionMessageContent',
        'useCase',
        'useCaseSummary',
      ].sort(),
    );
  });

  it.each([
    ['a long code', { phoneNumbers: ['+15125550142'] }, 'phoneNumbers[0]'],
    ['no number', { phoneNumbers: [] }, 'phoneNumbers'],
    ['a number twice', { phoneNumbers: [tollFreeNumber, tollFreeNumber] }, 'phoneNumbers[1]'],
    ['not E.164', { phoneNumbers: ['8885550100'] }, 'phoneNumbers[0]'],
    ['an unknown volume', { messageVolume: '2,000' }, 'messageVolume'],
    ['an unknown use case', { useCase: 'MARKETING' }, 'useCase'],
    ['a bad e-mail', { businessContactEmail: 'ana@' }, 'businessContactEmail'],
    ['a contact phone not E.164', { businessContactPhone: '512-555-0100' }, 'businessContactPhone'],
    ['a website without scheme', { corporateWebsite: 'acmedental.com' }, 'corporateWebsite'],
    [
      'an image that is no URL',
      { optInWorkflowImageURLs: ['screenshot.png'] },
      'optInWorkflowImageURLs[0]',
    ],
    ['a text too long', { useCaseSummary: 'x'.repeat(2_001) }, 'useCaseSummary'],
    ['an unknown field', { sample1: 'hi' }, 'sample1'],
    ['a bad entity type', { entityType: 'LLC' }, 'entityType'],
    ['a bad age gate', { ageGatedContent: 'no' }, 'ageGatedContent'],
  ])('refuses %s, naming the field', (_label, change, field) => {
    expect(fieldsOf({ ...tollFreeBody, ...change })).toEqual([field]);
  });

  it('refuses what is no object', () => {
    expect(fieldsOf(null)).toEqual(['']);
    expect(fieldsOf([tollFreeBody])).toEqual(['']);
  });

  it('knows the toll-free area codes', () => {
    for (const code of ['800', '833', '844', '855', '866', '877', '888']) {
      expect(isTollFreeNumber(`+1${code}5550100`)).toBe(true);
    }
    expect(isTollFreeNumber('+18995550100')).toBe(false);
    expect(isTollFreeNumber('+15125550142')).toBe(false);
  });
});
