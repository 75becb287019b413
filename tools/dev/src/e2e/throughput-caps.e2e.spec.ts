import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { setTenantLimits } from '../stack/admin-api.js';
import { startMessagingInstance } from '../stack/messaging-instance.js';
import { registerSenders } from '../stack/sender-registration.js';
import type { ServiceProcess } from '../stack/service-process.js';
import {
  call,
  createBulkSend,
  createTenant,
  eventually,
  getBulkSend,
  importContacts,
  phoneRange,
  previewBulkSend,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The cap the tests set: AT&T's per campaign per minute, and the simulator's per sender. */
const CAP = 60;
const MINUTE = 60_000;

/**
 * Issue 12 §3 and §6, end to end: a bulk send from a long code whose campaign's cap is set for
 * the test at 60 a minute, with one messaging instance (70 texts: the fewest that cross into a
 * second window, about a minute) and with two (150, about two minutes: the third minute's 30
 * wait for the window). The simulator enforces the same cap (Telnyx's 429 / 40318 past it), so a
 * breach would show as a refused send; its receive times never hold more than 60 in any 60 s
 * window, and every text is delivered (none fails).
 */
describe('throughput: sends wait, never fail, never pass a cap', () => {
  let second: ServiceProcess | undefined;

  afterAll(async () => {
    await call(`${stack.urls.carrierSim}/sim/caps`, { method: 'DELETE' });
    await second?.stop(10_000);
  });

  it('paces 70 at 60 a minute on one instance: no window over the cap, nothing refused or failed', async () => {
    await pacedBulkSend(await cappedTenant('Paced Solo Co'), 'Paced Solo Co', 70);
  }, 240_000);

  it('paces 150 at 60 a minute across two instances: no window over the cap, nothing refused or failed', async () => {
    second = await secondMessagingInstance();
    await pacedBulkSend(await cappedTenant('Paced Co'), 'Paced Co', 150);
  }, 360_000);
});

/** Another messaging instance: the same database, Kafka and carrier as the stack's. */
function secondMessagingInstance(): Promise<ServiceProcess> {
  return startMessagingInstance({
    databaseUrl: stack.databaseUrls.messaging,
    kafkaBrokers: stack.kafkaBrokers,
    carrierSimUrl: stack.urls.carrierSim,
    logFile: path.join(repoRoot, '.cache/logs/messaging-2.log'),
    env: {
      CARRIER_TIMEOUT_MS: '2000',
      THROUGHPUT_ACCOUNT_SMS_PER_SECOND: '100000',
      THROUGHPUT_ACCOUNT_MMS_PER_SECOND: '100000',
    },
  });
}

/** A tenant whose registered long code is capped at CAP a minute, by us and by the simulator. */
async function cappedTenant(name: string): Promise<TestTenant> {
  const sender = randomPhone('+1555');
  const tenant = await createTenant(stack, name, { sender, carrierCaps: true });
  await registerSenders(stack.urls.gatewayHttp, tenant.apiKey, {
    id: tenant.tenantId,
    name,
    brandName: name,
    timeZone: 'America/Chicago',
    senderNumbers: [sender],
    defaultSender: sender,
  });
  await setTenantLimits(stack.urls.gatewayHttp, stack.adminToken, tenant.tenantId, {
    attPerMinute: { sms: CAP },
  });
  const caps = await call(`${stack.urls.carrierSim}/sim/caps`, {
    method: 'PUT',
    body: { caps: [{ scope: 'sender', from: sender, windowMs: MINUTE, limit: CAP }] },
  });
  expect(caps.status).toBe(200);
  return tenant;
}

async function pacedBulkSend(tenant: TestTenant, brand: string, messages: number): Promise<void> {
  const tag = `paced-${Date.now()}`;
  const phones = phoneRange(messages, '+1557');
  const job = await importContacts(
    stack,
    tenant,
    phones.map((phone, i) => ({ id: `paced-${i}`, phone, tags: [tag] })),
  );
  expect(job.rows).toMatchObject({ upserted: messages, rejected: 0 });
  // The gateway's contacts read model follows the import: the send waits until a preview of it
  // sees them all (the operator's cap, on the tenant topic, reached messaging long before).
  const body = {
    recipients: { tags: { all: [tag] } },
    message: { body: `${brand}: your order is ready`, purpose: 'transactional' },
    delivery: { mode: 'now' },
  };
  await eventually(
    async () => {
      const preview = await previewBulkSend(stack, tenant, body);
      return preview.body.recipients.sendable === messages ? true : undefined;
    },
    { what: `a preview that sees the ${messages} contacts` },
  );
  const created = await createBulkSend(stack, tenant, body);
  expect(created.status).toBe(202);

  const throughput = () =>
    call<{ data: { sends: number; busiest: { units: number; start: string | null } } }>(
      `${stack.urls.carrierSim}/sim/throughput?from=${encodeURIComponent(tenant.sender)}&windowMs=${MINUTE}`,
    );
  const done = await eventually(
    async () => {
      const answer = await throughput();
      return answer.body.data.sends >= messages ? answer.body.data : undefined;
    },
    { timeoutMs: 4 * MINUTE, intervalMs: 1_000, what: `${messages} texts at the carrier` },
  );
  expect(done.sends).toBe(messages);
  expect(done.busiest.units).toBeLessThanOrEqual(CAP);
  // Close to the cap, not far below it: the first minute takes the whole of it.
  expect(done.busiest.units).toBeGreaterThanOrEqual(CAP * 0.9);

  const caps = await call<{ data: Array<{ from?: string; rejected: number }> }>(
    `${stack.urls.carrierSim}/sim/caps`,
  );
  expect(caps.body.data.find((c) => c.from === tenant.sender)?.rejected).toBe(0);

  // Every text delivered: none failed, none blocked, none left waiting.
  const progress = await eventually(
    async () => {
      const answer = await getBulkSend(stack, tenant, created.body.id);
      return answer.body.messages.delivered === messages ? answer.body : undefined;
    },
    { timeoutMs: MINUTE, what: `${messages} delivered` },
  );
  expect(progress.messages).toMatchObject({ failed: 0, blocked: 0, undelivered: 0 });
}
