import { describe, expect, it } from 'vitest';
import { DEFAULT_OPT_OUT_LANGUAGE, hasOptOutLanguage } from './opt-out-language.js';

describe('hasOptOutLanguage', () => {
  it.each([
    DEFAULT_OPT_OUT_LANGUAGE,
    'Sale ends Sunday. Reply STOP to opt out',
    'Text STOP to unsubscribe',
    'STOP to end',
    'reply stop to cancel',
    'Txt STOP to quit',
    'Reply STOP 2 end',
    'Msg&data rates may apply. Reply STOP to opt-out.',
    'Reply "STOP" to stop receiving messages',
    'Reply STOP=stop',
    'To opt out, reply STOP.',
    'Unsubscribe: text STOP',
    'Reply END to unsubscribe',
    'Reply STOP ALL to opt out of all messages',
    'Reply STOP to be removed',
  ])('%j → yes', (body) => {
    expect(hasOptOutLanguage(body)).toBe(true);
  });

  it.each([
    'Big sale this weekend!',
    'Reply YES to confirm',
    'Stop by our store today',
    'Reply HELP for help',
    "Don't stop now, 20% off ends tonight",
    'Our sale will end soon, reply to book',
  ])('%j → no', (body) => {
    expect(hasOptOutLanguage(body)).toBe(false);
  });
});
