import { describe, expect, it } from 'vitest';
import { findRestrictedContent } from './restricted-content.js';

describe('findRestrictedContent', () => {
  it.each([
    ['Sexy deals tonight', [{ category: 'sex', term: 'Sexy' }]],
    ['Join the white-power rally', [{ category: 'hate', term: 'white-power' }]],
    ['Happy hour: $3 BEER', [{ category: 'alcohol', term: 'Happy hour' }]],
    ['Cocktails on the patio', [{ category: 'alcohol', term: 'Cocktails' }]],
    ['Gun show this weekend', [{ category: 'firearms', term: 'Gun show' }]],
    ['New AR-15 parts in stock', [{ category: 'firearms', term: 'AR-15' }]],
    ['20% off vapes and e-cigs', [{ category: 'tobacco_vaping', term: 'vapes' }]],
    ['Fresh CBD gummies', [{ category: 'cannabis', term: 'CBD' }]],
    ['Need cash? Payday loans approved fast', [{ category: 'payday_loans', term: 'Payday loans' }]],
    ['Get debt relief today', [{ category: 'debt_relief', term: 'debt relief' }]],
    ['Buy Bitcoin now', [{ category: 'crypto', term: 'Bitcoin' }]],
  ] as const)('%j', (body, expected) => {
    expect(findRestrictedContent(body)).toEqual(expected);
  });

  it('reports one finding per category, the first term of each, in category order', () => {
    expect(findRestrictedContent('Bitcoin, wine, beer, vodka and crypto')).toEqual([
      { category: 'alcohol', term: 'wine' },
      { category: 'crypto', term: 'Bitcoin' },
    ]);
  });

  it.each([
    'Essex county residents: your bin day moved',
    'Middlesex Hospital reminder for tomorrow',
    'Wear a cocktail dress to the gala',
    'Try our shrimp cocktail',
    'Root beer floats for the kids',
    'Grab a glue gun from aisle 4',
    'Nail gun rental available',
    'Top Gun is showing tonight',
    'Gunnar, your order is ready',
    'Glass repair appointment at 3pm',
    'Weed killer 2-for-1 at the garden center',
    'Lawn weed control service tomorrow',
    'Ginger tea is back',
    'Rumor has it: new menu',
    'The wineglass set shipped',
    'Your pistachio order shipped',
    'Your appointment is confirmed for 3pm',
    'Nicotine-free patches? Ask the pharmacist',
  ])('%j → no finding', (body) => {
    expect(findRestrictedContent(body)).toEqual([]);
  });

  describe('words with an innocent sense (both ways)', () => {
    it.each([
      // alcohol: wine as a colour, gin the game and the machine
      'Our wine-colored dress is back in stock',
      'Wine coloured scarves, 2 for $20',
      'New in: burgundy wine colour',
      'The sofa in wine red',
      'Gin rummy night at the community center',
      'Tour the old cotton gin on Saturday',
      // sex: same-sex, opposite sex
      'Same-sex couples welcome at our open house',
      'Same sex marriage law seminar',
      'Mixed doubles: pair with the opposite sex',
      // cannabis: weeding a garden
      'Time to weed your garden! 20% off mulch',
      'Weeding tips for spring',
      'We help you weed out bad hires',
      'Volunteers needed to weed the beds Saturday',
      // firearms: shotgun as an idiom
      'Shotgun wedding package: book this week',
      'Call shotgun on the best seats',
      'Riding shotgun? Download our road-trip playlist',
      'Golf outing: shotgun start at 8am',
    ])('%j → no finding', (body) => {
      expect(findRestrictedContent(body)).toEqual([]);
    });

    it.each([
      ['Wine tasting tonight', { category: 'alcohol', term: 'Wine' }],
      ['2-for-1 gin cocktails', { category: 'alcohol', term: 'gin' }],
      ['Red wine and rummy cake', { category: 'alcohol', term: 'wine' }],
      ['Sex toys 30% off', { category: 'sex', term: 'Sex' }],
      ['Buy weed online', { category: 'cannabis', term: 'weed' }],
      ['Weed delivery in 30 min', { category: 'cannabis', term: 'Weed' }],
      ['Shotgun shells 20% off', { category: 'firearms', term: 'Shotgun' }],
      ['New shotgun in stock', { category: 'firearms', term: 'shotgun' }],
    ] as const)('%j → still found', (body, finding) => {
      expect(findRestrictedContent(body)).toEqual([finding]);
    });
  });

  it.each([
    ['U+2010 hyphen', 'e\u2010cig'],
    ['U+2011 non-breaking hyphen', 'e\u2011cig'],
    ['U+2012 figure dash', 'e\u2012cig'],
    ['U+2013 en dash', 'e\u2013cig'],
    ['U+2014 em dash', 'e\u2014cig'],
    ['U+2015 horizontal bar', 'e\u2015cig'],
    ['U+2212 minus sign', 'e\u2212cig'],
  ])('any Unicode dash joins a term, reported as "-" (%s)', (_name, term) => {
    expect(findRestrictedContent(`New ${term} flavors`)).toEqual([
      { category: 'tobacco_vaping', term: 'e-cig' },
    ]);
  });

  it('any Unicode dash joins an exception too', () => {
    expect(findRestrictedContent('Nicotine\u2011free patches')).toEqual([]);
    expect(findRestrictedContent('Our wine\u2013colored dress')).toEqual([]);
  });
});

describe('findRestrictedContent and invisible characters', () => {
  it('finds a term split by a zero-width space or a soft hyphen', () => {
    expect(
      findRestrictedContent('New v\u200bape flavours in store').map((f) => f.category),
    ).toEqual(['tobacco_vaping']);
    expect(findRestrictedContent('Fast pay\u00adday loans').map((f) => f.category)).toEqual([
      'payday_loans',
    ]);
  });
});
