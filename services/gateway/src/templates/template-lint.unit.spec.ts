import { MergeFieldRenderer } from '@textplane/merge-fields';
import { describe, expect, it } from 'vitest';
import { lintTemplate } from './template-lint.js';

const renderer = new MergeFieldRenderer();
function codes(
  kind: 'template' | 'snippet',
  body: string,
  purpose?: 'marketing' | 'transactional',
) {
  const validation = renderer.validate(body);
  if (!validation.ok) throw new Error('invalid body');
  return lintTemplate({ kind, body, purpose, variables: validation.variables, brandName: 'Acme' })
    .map((w) => w.code)
    .sort();
}

describe('template linter', () => {
  it.each([
    [
      'a clean marketing template',
      'template',
      'Acme: 20% off. Reply STOP to opt out.',
      'marketing',
      [],
    ],
    ['the brand through business.name', 'template', '{{ business.name }}: hi', 'transactional', []],
    ['no brand', 'template', 'Hi there', 'transactional', ['missing_brand']],
    ['no opt-out on marketing', 'template', 'Acme: sale', 'marketing', ['no_opt_out_language']],
    ['no opt-out is fine off marketing', 'template', 'Acme: your code', 'transactional', []],
    ['a shortener', 'template', 'Acme: see https://bit.ly/abc', 'transactional', ['url_shortener']],
    [
      'restricted content',
      'template',
      'Acme: cheap vape pens',
      'transactional',
      ['restricted_content'],
    ],
    [
      'a snippet: content checks only',
      'snippet',
      'see https://bit.ly/abc',
      'marketing',
      ['url_shortener'],
    ],
  ] as const)('%s', (_name, kind, body, purpose, expected) => {
    expect(codes(kind, body, purpose)).toEqual([...expected].sort());
  });
});
