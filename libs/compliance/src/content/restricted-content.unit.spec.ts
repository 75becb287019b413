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
});
