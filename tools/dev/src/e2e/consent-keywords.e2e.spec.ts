import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import {
  call,
  carrierReceived,
  eventually,
  randomPhone,
  type SimMessage,
} from './platform-client.js';

const stack = inject('stack');

/** The demo tenant `make dev` seeds (tools/dev/src/stack/admin-api.ts). */
const DEMO_NUMBER = '+15555550100';
const DEMO_BRAND = 'Demo Co';

/**
 * Replies travel inbound webhook → gateway → messaging → consent → messaging → carrier: after
 * the reply that proves a later text was handled, this long more for anything that should not come.
 */
const SETTLE_MS = 3_000;

const isOptOutConfirmation = (m: SimMessage): boolean => /unsubscribed/i.test(m.text);
const isOptInConfirmation = (m: SimMessage): boolean => /resubscribed/i.test(m.text);
// The opt-in confirmation says "Reply HELP for help" too: the HELP answer is the one with a contact.
const isHelpAnswer = (m: SimMessage): boolean => /for help, contact/i.test(m.text);

async function text(from: string, body: string): Promise<void> {
  const injected = await call(`${stack.urls.carrierSim}/sim/inbound`, {
    body: { from, to: DEMO_NUMBER, text: body },
  });
  expect(injected.status).toBe(202);
}

/** Waits until the carrier got `count` messages to `phone` that match, and returns them. */
async function receivedMatching(
  phone: string,
  match: (m: SimMessage) => boolean,
  count: number,
  what: string,
): Promise<SimMessage[]> {
  return eventually(
    async () => {
      const found = (await carrierReceived(stack, phone)).filter(match);
      return found.length >= count ? found : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250, what },
  );
}

describe('STOP, HELP and START from a phone', () => {
  it('confirms an opt-out once, answers HELP with the brand and rates, confirms START', async () => {
    const phone = randomPhone();

    await text(phone, 'Stop.');
    const [confirmation] = await receivedMatching(
      phone,
      isOptOutConfirmation,
      1,
      'the opt-out confirmation',
    );
    expect(confirmation).toMatchObject({ from: DEMO_NUMBER, to: phone });
    expect(confirmation?.text).toContain(DEMO_BRAND);
    expect(confirmation?.text).toContain('START');

    // A second STOP is recorded as nothing: no second confirmation. The HELP after it is
    // answered (opted out or not), which shows the replies after the second STOP were handled.
    await text(phone, 'STOP');
    await text(phone, 'HELP');
    const [help] = await receivedMatching(phone, isHelpAnswer, 1, 'the HELP answer');
    expect(help).toMatchObject({ from: DEMO_NUMBER, to: phone });
    expect(help?.text).toContain(DEMO_BRAND);
    expect(help?.text).toContain('Msg & data rates may apply');
    expect(help?.text).toContain('STOP');
    await sleep(SETTLE_MS);
    expect((await carrierReceived(stack, phone)).filter(isOptOutConfirmation)).toHaveLength(1);

    await text(phone, 'START');
    const [optIn] = await receivedMatching(
      phone,
      isOptInConfirmation,
      1,
      'the opt-in confirmation',
    );
    expect(optIn).toMatchObject({ from: DEMO_NUMBER, to: phone });
    expect(optIn?.text).toContain(DEMO_BRAND);

    await sleep(SETTLE_MS);
    const all = await carrierReceived(stack, phone);
    expect(all.filter(isOptOutConfirmation)).toHaveLength(1);
    expect(all.filter(isHelpAnswer)).toHaveLength(1);
    expect(all.filter(isOptInConfirmation)).toHaveLength(1);
  });

  it('sends no opt-in confirmation for START from a phone that never opted out', async () => {
    const phone = randomPhone();
    await text(phone, 'START');
    await text(phone, 'info');
    await receivedMatching(phone, isHelpAnswer, 1, 'the INFO answer');
    await sleep(SETTLE_MS);
    const all = await carrierReceived(stack, phone);
    expect(all.filter(isOptInConfirmation)).toEqual([]);
    expect(all).toHaveLength(1);
  });
});
