import { randomUUID } from 'node:crypto';
import { NUMBER_VALIDATION_DEFAULTS, validateEventData } from '@textplane/contracts';
import { EventStore } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// The simulator in-process, by path, so the test needs no build of it (as registration's flow
// test does): the carrier is faked at its HTTP boundary, the SDK and the adapter are the real ones.
// eslint-disable-next-line @nx/enforce-module-boundaries -- test-only, see above
import {
  type RunningCarrierSim,
  startCarrierSim,
} from '../../../../tools/carrier-sim/src/server.js';
import { TelnyxNumberLookup } from '../infrastructure/carriers/telnyx/telnyx-number-lookup.js';
import { DispatchQueue } from '../messages/dispatch/dispatch-queue.js';
import { messagingMigrations } from '../migrations/index.js';
import { NUMBER_LOOKUP_EVENT } from './known-number.js';
import type { CarrierNumberLookup, NumberLookupCarrier } from './number-lookup-carrier.js';
import { NumberLookups, type NumberLookupsOptions } from './number-lookups.js';
import { rebuildNumberLookups } from './number-lookup.projection.js';
import { NUMBER_LOOKUP_FAILED_FLAG, numberValidationAnswer } from './number-validation-gate.js';

let database: TestDatabase;
let sim: RunningCarrierSim;
let carrier: TelnyxNumberLookup;
const clock = { current: new Date('2026-12-03T10:00:00.000Z'), now: () => new Date(clock.current) };
const options: NumberLookupsOptions = {
  concurrency: 2,
  batch: 50,
  claimMs: 30_000,
  intervalMs: 50,
};
const tenantId = randomUUID();

function lookupsOn(dataSource: DataSource, over: NumberLookupCarrier = carrier): NumberLookups {
  const store = new EventStore(dataSource, { check: validateEventData });
  const queue = new DispatchQueue(dataSource);
  return new NumberLookups(
    dataSource,
    store,
    over,
    { wake: (manager, event, key) => queue.wake(manager, event, key, clock.now()) },
    clock,
    options,
  );
}

/** A number no other test uses, ending as the simulator's rules need (see number-lookup-rules). */
function phoneEnding(ending: string): string {
  const digits = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  return `+1206${digits}${ending}`.slice(0, 12 - ending.length) + ending;
}

/** A message waiting in the dispatch queue for the lookup of `phone`, as the gate makes it wait. */
async function waitingOn(phone: string, dataSource = database.dataSource): Promise<string> {
  const messageId = randomUUID();
  await new DispatchQueue(dataSource).waitFor(
    dataSource.manager,
    messageId,
    { tenantId, correlationId: messageId },
    { gate: 'number-validation', event: NUMBER_LOOKUP_EVENT, key: phone },
  );
  return messageId;
}

async function queueRow(messageId: string) {
  const rows = await database.dataSource.query<
    Array<{ waiting_for: string | null; release_at: Date | null }>
  >(`SELECT waiting_for, release_at FROM dispatch_queue WHERE message_id = $1`, [messageId]);
  return rows[0];
}

async function simLookups(phone: string): Promise<Array<{ answered: number }>> {
  const response = await fetch(`${sim.url}/sim/lookups?phoneNumber=${encodeURIComponent(phone)}`);
  return ((await response.json()) as { data: Array<{ answered: number }> }).data;
}

async function storedFacts(phone: string) {
  return database.dataSource.query<Array<{ type: string; data: unknown; stream_type: string }>>(
    `SELECT type, data, stream_type FROM events WHERE stream_id = $1 ORDER BY version`,
    [`number-lookup-${phone}`],
  );
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: messagingMigrations });
  sim = await startCarrierSim({ port: 0, webhookUrl: 'http://127.0.0.1:1/unused' });
  carrier = new TelnyxNumberLookup({
    apiKey: 'test-key',
    baseUrl: `${sim.url}/v2`,
    timeoutMs: 5_000,
  });
});

afterAll(async () => {
  await sim?.close();
  await database?.drop();
});

beforeEach(() => {
  clock.current = new Date(clock.current.getTime() + 3_600_000);
});

describe('NumberLookups', () => {
  it('looks a waiting recipient up once, records the fact with its cache row, wakes its messages', async () => {
    // Last digit 0: a landline; second-to-last 4: T-Mobile (the simulator's rules).
    const phone = phoneEnding('40');
    const lookups = lookupsOn(database.dataSource);
    const first = await waitingOn(phone);
    const second = await waitingOn(phone);

    expect(await lookups.lookUpWaiting()).toMatchObject({ recorded: 1, failed: 0 });

    expect(await simLookups(phone)).toHaveLength(1);
    const facts = await storedFacts(phone);
    expect(facts).toEqual([
      {
        type: 'messaging.NumberLookedUp.v1',
        stream_type: 'number-lookup',
        data: {
          phoneNumber: phone,
          lineType: 'landline',
          carrier: 'tmobile',
          carrierName: 'T-Mobile USA, Inc.',
          carrierLineType: 'fixed line',
          lookedUpAt: clock.current.toISOString(),
        },
      },
    ]);
    for (const messageId of [first, second]) {
      expect(await queueRow(messageId)).toEqual({ waiting_for: null, release_at: clock.now() });
    }

    // The cache: the gate, on what is known now, decides without another lookup.
    const known = await lookups.knownNumbers(database.dataSource.manager, [phone]);
    expect(known.get(phone)?.lookup).toMatchObject({ lineType: 'landline', carrier: 'tmobile' });
    const setting = { ...NUMBER_VALIDATION_DEFAULTS, enabled: true };
    const answer = numberValidationAnswer({
      message: { to: phone, autoReply: null },
      now: clock.now(),
      tenant: { timeZone: 'America/Chicago', numberValidation: setting },
      recipientNumber: known.get(phone) ?? null,
    });
    expect(answer).toMatchObject({ answer: 'block', reasons: ['recipient_not_mobile'] });

    // Nothing waits now: another pass asks the carrier nothing.
    expect(await lookups.lookUpWaiting()).toEqual({ recorded: 0, failed: 0, skipped: 0 });
    expect(await simLookups(phone)).toHaveLength(1);
  });

  it('a message made to wait by a stale read, inside the claim, is woken, not looked up again', async () => {
    const phone = phoneEnding('73');
    const lookups = lookupsOn(database.dataSource);
    await waitingOn(phone);
    await lookups.lookUpWaiting();
    // Another dispatcher read before the record and parked its message afterwards (no lock
    // here, unlike the gating transaction): the claim still holds, so no second call.
    const late = await waitingOn(phone);
    expect(await lookups.lookUpWaiting()).toEqual({ recorded: 0, failed: 0, skipped: 0 });
    expect(await simLookups(phone)).toHaveLength(1);
    expect((await queueRow(late))?.waiting_for).toBe(NUMBER_LOOKUP_EVENT);
    await new DispatchQueue(database.dataSource).forget(database.dataSource.manager, late);
  });

  it('concurrent lookups of one number, in one process and in two, make one carrier call', async () => {
    const phone = phoneEnding('53');
    const other = await database.openDataSource();
    const here = lookupsOn(database.dataSource);
    const there = lookupsOn(other);
    const waiting = await Promise.all([1, 2, 3, 4, 5].map(() => waitingOn(phone)));

    const passes = await Promise.all([
      here.lookUpWaiting(),
      here.lookUpWaiting(),
      there.lookUpWaiting(),
      there.lookUpWaiting(),
    ]);

    expect(await simLookups(phone)).toHaveLength(1);
    expect(passes.reduce((sum, pass) => sum + pass.recorded, 0)).toBe(1);
    expect(await storedFacts(phone)).toHaveLength(1);
    for (const messageId of waiting) {
      expect((await queueRow(messageId))?.waiting_for).toBeNull();
    }
  });

  it('a failed lookup is recorded and wakes its messages, which the gate lets through flagged', async () => {
    const phone = phoneEnding('93');
    await fetch(`${sim.url}/sim/lookups/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'http_500', phoneNumber: phone }),
    });
    const lookups = lookupsOn(database.dataSource);
    const messageId = await waitingOn(phone);

    expect(await lookups.lookUpWaiting()).toMatchObject({ recorded: 1, failed: 1 });

    expect(await storedFacts(phone)).toEqual([
      expect.objectContaining({
        type: 'messaging.NumberLookupFailed.v1',
        data: expect.objectContaining({
          phoneNumber: phone,
          reason: 'carrier_unavailable',
          carrierErrorCode: '10007',
        }) as unknown,
      }),
    ]);
    expect((await queueRow(messageId))?.waiting_for).toBeNull();
    const known = await lookups.knownNumbers(database.dataSource.manager, [phone]);
    expect(
      numberValidationAnswer({
        message: { to: phone, autoReply: null },
        now: clock.now(),
        tenant: {
          timeZone: 'America/Chicago',
          numberValidation: { ...NUMBER_VALIDATION_DEFAULTS, enabled: true },
        },
        recipientNumber: known.get(phone) ?? null,
      }),
    ).toEqual({ answer: 'pass', flags: [NUMBER_LOOKUP_FAILED_FLAG] });
  });

  it('a wait parked by a gating transaction while the lookup is recorded is woken by it', async () => {
    const phone = phoneEnding('33');
    const lookups = lookupsOn(database.dataSource);
    await waitingOn(phone);
    const queue = new DispatchQueue(database.dataSource);
    const parked = randomUUID();
    let recording: Promise<unknown> | undefined;
    await database.dataSource.transaction(async (manager) => {
      // The gate's read: nothing known yet, under the number's shared lock.
      const known = await lookups.knownNumbers(manager, [phone]);
      expect(known.get(phone)).toBeUndefined();
      // The worker looks it up meanwhile; its record waits for this transaction.
      recording = lookups.lookUpWaiting();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await storedFacts(phone)).toEqual([]);
      await queue.waitFor(
        manager,
        parked,
        { tenantId, correlationId: parked },
        { gate: 'number-validation', event: NUMBER_LOOKUP_EVENT, key: phone },
      );
    });
    await recording;
    expect(await storedFacts(phone)).toHaveLength(1);
    expect(await queueRow(parked)).toEqual({ waiting_for: null, release_at: clock.now() });
  });

  it('asks the carrier for at most `concurrency` numbers at once', async () => {
    let active = 0;
    let most = 0;
    const counting: NumberLookupCarrier = {
      async lookUpNumber(phone: string): Promise<CarrierNumberLookup> {
        active++;
        most = Math.max(most, active);
        try {
          await new Promise((resolve) => setTimeout(resolve, 30));
          return await carrier.lookUpNumber(phone);
        } finally {
          active--;
        }
      },
    };
    const lookups = lookupsOn(database.dataSource, counting);
    const phones = ['13', '23', '43', '63', '83', '03'].map(phoneEnding);
    for (const phone of phones) await waitingOn(phone);

    const pass = await lookups.lookUpWaiting();

    expect(pass).toEqual({ recorded: phones.length, failed: 0, skipped: 0 });
    expect(most).toBe(options.concurrency);
    for (const phone of phones) expect(await simLookups(phone)).toHaveLength(1);
  });

  it('number_lookups is rebuilt from the stored facts, row for row', async () => {
    // Its own facts: a number looked up, one whose lookup failed and then succeeded.
    const lookups = lookupsOn(database.dataSource);
    const [found, retried] = [phoneEnding('63'), phoneEnding('01')];
    await fetch(`${sim.url}/sim/lookups/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'http_429', phoneNumber: retried }),
    });
    await waitingOn(found);
    await waitingOn(retried);
    await lookups.lookUpWaiting();
    clock.current = new Date(clock.current.getTime() + options.claimMs);
    await waitingOn(retried);
    await lookups.lookUpWaiting();
    expect((await storedFacts(retried)).map((f) => f.type)).toEqual([
      'messaging.NumberLookupFailed.v1',
      'messaging.NumberLookedUp.v1',
    ]);
    const rebuilt = await createTestDatabase({ migrations: messagingMigrations });
    try {
      const stored = await database.dataSource.query<
        Array<{ streamType: string; type: string; data: unknown }>
      >(
        `SELECT stream_type AS "streamType", type, data FROM events
         WHERE stream_type = 'number-lookup' ORDER BY global_position`,
      );
      await rebuilt.dataSource.transaction((manager) => rebuildNumberLookups(manager, stored));
      const rows = (dataSource: DataSource) =>
        dataSource.query(
          `SELECT phone_number, line_type, carrier, carrier_name, looked_up_at, failure_reason,
             failure_detail, failed_at FROM number_lookups ORDER BY phone_number`,
        );
      expect(await rows(rebuilt.dataSource)).toEqual(await rows(database.dataSource));
    } finally {
      await rebuilt.drop();
    }
  });
});
