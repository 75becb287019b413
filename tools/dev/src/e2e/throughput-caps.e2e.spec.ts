import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../net/free-port.js';
import { setTenantLimits } from '../stack/admin-api.js';
import { waitUntilReady } from '../stack/readiness.js';
import { registerSenders } from '../stack/sender-registration.js';
import { ServiceProcess } from '../stack/service-process.js';
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

/** The cap the test sets: AT&T's per campaign per minute, and the simulator's per sender. */
const CAP = 60;
const MESSAGES = 150;
const MINUTE = 60_000;

/**
 * Issue 12 §3 and §6, end to end with two messaging instances running: a bulk send of 150 from a
 * long code whose campaign's cap is set for the test at 60 a minute. The simulator enforces the
 * same cap (Telnyx's 429 / 40318 past it), so a breach would show as a refused send; its receive
 * times never hold more than 60 in any 60 s window, and every text is delivered (none fails).
 * It takes about two minutes: the third minute's 30 wait for the window.
 */
describe('throughput: sends wait, never fail, never pass a cap', () => {
  let tenant: TestTenant;
  let second: ServiceProcess;

  beforeAll(async () => {
    // The second messaging instance: the same database, Kafka and carrier as the stack's.
    const port = await freePort();
    second = new ServiceProcess({
      name: 'messaging',
      entry: path.join(repoRoot, 'services/messaging/dist/main.js'),
      cwd: repoRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        MESSAGING_HTTP_PORT: String(port),
        MESSAGING_DATABASE_URL: stack.databaseUrls.messaging,
        KAFKA_BROKERS: stack.kafkaBrokers.join(','),
        TELNYX_API_KEY: 'carrier-sim',
        TELNYX_BASE_URL: `${stack.urls.carrierSim}/v2`,
        CARRIER_TIMEOUT_MS: '2000',
        THROUGHPUT_ACCOUNT_SMS_PER_SECOND: '100000',
        THROUGHPUT_ACCOUNT_MMS_PER_SECOND: '100000',
        LOG_LEVEL: 'warn',
        MALLOC_ARENA_MAX: '2',
      },
      logFile: path.join(repoRoot, '.cache/logs/messaging-2.log'),
    });
    await second.start();
    await waitUntilReady(second, `http://127.0.0.1:${port}/readyz`, 120_000);

    const sender = randomPhone('+1555');
    tenant = await createTenant(stack, 'Paced Co', { sender, carrierCaps: true });
    await registerSenders(stack.urls.gatewayHttp, tenant.apiKey, {
      id: tenant.tenantId,
      name: 'Paced Co',
      brandName: 'Paced Co',
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
  }, 240_000);

  afterAll(async () => {
    await call(`${stack.urls.carrierSim}/sim/caps`, { method: 'DELETE' });
    await second?.stop(10_000);
  });

  it('paces 150 at 60 a minute across two instances: no window over the cap, nothing refused or failed', async () => {
    const tag = `paced-${Date.now()}`;
    const phones = phoneRange(MESSAGES, '+1557');
    const job = await importContacts(
      stack,
      tenant,
      phones.map((phone, i) => ({ id: `paced-${i}`, phone, tags: [tag] })),
    );
    expect(job.rows).toMatchObject({ upserted: MESSAGES, rejected: 0 });
    // The gateway's contacts read model follows the import: the send waits until a preview of
    // it sees all 150 (the operator's cap, on the tenant topic, reached messaging long before).
    const body = {
      recipients: { tags: { all: [tag] } },
      message: { body: 'Paced Co: your order is ready', purpose: 'transactional' },
      delivery: { mode: 'now' },
    };
    await eventually(
      async () => {
        const preview = await previewBulkSend(stack, tenant, body);
        return preview.body.recipients.sendable === MESSAGES ? true : undefined;
      },
      { what: `a preview that sees the ${MESSAGES} contacts` },
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
        return answer.body.data.sends >= MESSAGES ? answer.body.data : undefined;
      },
      { timeoutMs: 4 * MINUTE, intervalMs: 1_000, what: `${MESSAGES} texts at the carrier` },
    );
    expect(done.sends).toBe(MESSAGES);
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
        return answer.body.messages.delivered === MESSAGES ? answer.body : undefined;
      },
      { timeoutMs: MINUTE, what: `${MESSAGES} delivered` },
    );
    expect(progress.messages).toMatchObject({ failed: 0, blocked: 0, undelivered: 0 });
  }, 300_000);
});
