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
    'Reply STOP to end',
    'Msg STOP to stop',
    'Reply STOP or OPT OUT to unsubscribe',
    'Reply STOP, END or CANCEL to opt out',
    'Respond with STOP to opt out',
    'STOP to opt out',
    'STOP2END',
    'Deals every week. STOP to end, HELP for help',
    'To stop receiving texts, reply STOP',
    'To end messages text STOP',
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
    // Ordinary copy that merely contains a keyword next to an effect word.
    'Our nonstop-end-of-year sale: 50% off!',
    'Never stop - end of season sale today',
    "Don't stop to end your day without our deals",
    'Weekend deals! Stop: cancel your plans and shop',
    'Unstoppable deals: nonstop to end of month',
    'Deals that never end - cancel nothing, just shop',
    'Stop to end your search: the perfect gift is here',
    'The fun does not STOP to end the week',
    'Never stop to end.',
    'Savings never end, reply STOPWATCH to win one',
    'Backstop-quit smoking kits 20% off',
  ])('%j → no', (body) => {
    expect(hasOptOutLanguage(body)).toBe(false);
  });
});
