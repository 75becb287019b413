import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import {
  bearer,
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

interface LedgerEntry {
  type: string;
  method?: string;
  keyword?: string;
  message?: { body: string };
}

/** The demo tenant's ledger for `phone`, through the consent API. */
async function history(phone: string): Promise<LedgerEntry[]> {
  const answer = await call<{ entries: LedgerEntry[] }>(
    `${stack.urls.gatewayHttp}/v1/consents/${encodeURIComponent(phone)}/history`,
    { headers: bearer({ ...stack.demo, sender: DEMO_NUMBER }) },
  );
  expect(answer.status).toBe(200);
  return answer.body.entries;
}

async function historyWith(phone: string, type: string, what: string): Promise<LedgerEntry[]> {
  return eventually(
    async () => {
      const entries = await history(phone);
      return entries.some((e) => e.type === type) ? entries : undefined;
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

    // A second STOP gets no second confirmation (the ledger records it as the latest opt-out,
    // without effect). The HELP after it is answered (opted out or not), which shows the
    // replies after the second STOP were handled.
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

  // Opt-out keywords as people really type them: each on a fresh phone.
  it.each([['Thanks\nSTOP'], ['opt-out'], ['STOP ALL'], ['  unsubscribe!! '], ['Cancel']])(
    'revokes on %j and confirms it once',
    async (body) => {
      const phone = randomPhone();
      await text(phone, body);
      const entries = await historyWith(phone, 'ConsentRevoked', `the revocation by ${body}`);
      const revoked = entries.filter((e) => e.type === 'ConsentRevoked');
      expect(revoked).toHaveLength(1);
      expect(revoked[0]).toMatchObject({ method: 'keyword' });
      expect(revoked[0]?.message?.body.trim()).toBe(body.trim());
      const [confirmation] = await receivedMatching(
        phone,
        isOptOutConfirmation,
        1,
        `the opt-out confirmation for ${body}`,
      );
      expect(confirmation).toMatchObject({ from: DEMO_NUMBER, to: phone });
      await sleep(SETTLE_MS);
      expect(await carrierReceived(stack, phone)).toHaveLength(1);
      expect((await history(phone)).filter((e) => e.type === 'ConsentRevoked')).toHaveLength(1);
    },
  );

  it('does not revoke on a sentence that merely starts with "Stop"', async () => {
    const phone = randomPhone();
    await text(phone, 'Stop by the store later?');
    // HELP sent afterwards is the marker: once it is on the ledger, the text before it was
    // handled too (allowing for the two being handled out of order, SETTLE_MS more).
    await text(phone, 'HELP');
    await historyWith(phone, 'HelpRequested', 'the HELP after the sentence');
    await receivedMatching(phone, isHelpAnswer, 1, 'the HELP answer');
    await sleep(SETTLE_MS);
    const entries = await history(phone);
    expect(entries.map((e) => e.type)).not.toContain('ConsentRevoked');
    expect(entries.map((e) => e.type)).not.toContain('RevocationReviewOpened');
    const all = await carrierReceived(stack, phone);
    expect(all.filter(isOptOutConfirmation)).toEqual([]);
    expect(all).toHaveLength(1);
  });
});
