import { describe, expect, it } from 'vitest';
import { replyTextsFor } from './reply-texts.js';

const acme = { brandName: 'Acme Dental', defaultSender: '+15555550100' };

describe('compliance reply texts', () => {
  it('has CTIA defaults naming the brand, with a contact, the frequency and the rates on HELP', () => {
    expect(replyTextsFor(acme)).toEqual({
      optOutConfirmation:
        'Acme Dental: You are unsubscribed and will receive no more messages. Reply START to resubscribe.',
      optInConfirmation:
        'Acme Dental: You are resubscribed. Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to opt out.',
      help: 'Acme Dental: For help, contact us at +15555550100. Msg frequency varies. Msg & data rates may apply. Reply STOP to opt out.',
    });
  });

  it("fills the defaults with the tenant's contact and frequency, without doubled periods", () => {
    const texts = replyTextsFor({
      ...acme,
      compliance: {
        supportContact: 'help@acme.example or 800-555-0100',
        messageFrequency: 'Up to 4 msgs/month.',
      },
    });
    expect(texts.help).toBe(
      'Acme Dental: For help, contact help@acme.example or 800-555-0100. Up to 4 msgs/month. Msg & data rates may apply. Reply STOP to opt out.',
    );
    expect(texts.optInConfirmation).toContain('. Up to 4 msgs/month. Msg & data rates');
  });

  it("uses the tenant's own texts with their placeholders filled", () => {
    const texts = replyTextsFor({
      ...acme,
      compliance: {
        supportContact: 'acme.example/help',
        messageFrequency: '2 msgs/week',
        helpText:
          '{brand} help: {supportContact}. {frequency}. Msg&data rates may apply. STOP to end.',
        optOutConfirmationText: '{brand}: unsubscribed, no more texts. START to rejoin.',
        optInConfirmationText: 'Welcome back to {brand}! {frequency}. HELP for help, STOP to end.',
      },
    });
    expect(texts).toEqual({
      help: 'Acme Dental help: acme.example/help. 2 msgs/week. Msg&data rates may apply. STOP to end.',
      optOutConfirmation: 'Acme Dental: unsubscribed, no more texts. START to rejoin.',
      optInConfirmation: 'Welcome back to Acme Dental! 2 msgs/week. HELP for help, STOP to end.',
    });
  });

  it('names the brand and discloses the rates even when a custom text forgets to', () => {
    const texts = replyTextsFor({
      ...acme,
      compliance: {
        helpText: 'Call 800-555-0100 for help',
        optOutConfirmationText: 'You will get no more texts from us.',
      },
    });
    expect(texts.help).toBe('Acme Dental: Call 800-555-0100 for help. Msg & data rates may apply.');
    expect(texts.optOutConfirmation).toBe('Acme Dental: You will get no more texts from us.');
  });

  it('sends the default instead of a tenant text that carriers would filter', () => {
    // Tenants recorded before the gateway checked these texts may still hold such a text.
    const texts = replyTextsFor({
      ...acme,
      compliance: {
        supportContact: 'bit.ly/acme-help',
        messageFrequency: 'Daily vape deals',
        helpText: '{brand}: help at tinyurl.com/acme. Msg & data rates may apply.',
        optOutConfirmationText: '{brand}: bye! Try our CBD gummies.',
        optInConfirmationText: 'Welcome back to {brand}! {frequency}.',
      },
    });
    const defaults = replyTextsFor(acme);
    expect(texts).toEqual({
      help: defaults.help,
      optOutConfirmation: defaults.optOutConfirmation,
      // Its own text is fine; the frequency filled into it is the default one.
      optInConfirmation: 'Welcome back to Acme Dental! Msg frequency varies.',
    });
  });

  it('leaves text that only looks like a placeholder alone', () => {
    const texts = replyTextsFor({
      ...acme,
      compliance: {
        optOutConfirmationText: '{brand}: done {unknown}. Msg & data rates may apply.',
      },
    });
    expect(texts.optOutConfirmation).toBe(
      'Acme Dental: done {unknown}. Msg & data rates may apply.',
    );
  });
});
