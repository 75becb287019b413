import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCarrierSim, startCarrierSim } from '../server.js';

/** The 10DLC routes over HTTP, as server.ts maps them (the review itself: trust-registry). */

let sim: RunningCarrierSim;
const auth = { authorization: 'Bearer test-key', 'content-type': 'application/json' };

beforeAll(async () => {
  // Reviews wait far longer than any test: only forced decisions settle anything here.
  sim = await startCarrierSim({
    port: 0,
    webhookUrl: 'http://127.0.0.1:1/unused',
    webhookAttemptsPerUrl: 1,
    trustReviewDelayMs: 3_600_000,
  });
});

afterAll(async () => {
  await sim.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = auth,
) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const brand = {
  entityType: 'PRIVATE_PROFIT',
  displayName: 'Acme Dental',
  companyName: 'Acme Dental LLC',
  ein: '12-3456789',
  email: 'support@acmedental.com',
  country: 'US',
  vertical: 'HEALTHCARE',
};

describe('10DLC routes', () => {
  it('creates, reads, and forces a decision on a brand', async () => {
    const created = await call('POST', '/v2/10dlc/brand', brand);
    expect(created.status).toBe(200);
    const brandId = String(created.body['brandId']);
    expect((await call('GET', `/v2/10dlc/brand/${brandId}`)).body).toMatchObject({
      status: 'REGISTRATION_PENDING',
    });
    const forced = await call('POST', '/sim/trust/decisions', {
      brandId,
      outcome: 'rejected',
      reasons: ['EIN does not match'],
    });
    expect(forced.status).toBe(200);
    expect((await call('GET', `/v2/10dlc/brand/${brandId}`)).body).toMatchObject({
      status: 'REGISTRATION_FAILED',
      failureReasons: 'EIN does not match',
    });
  });

  it('answers a number assignment by its phone number, "+" as sent', async () => {
    const brandId = String((await call('POST', '/v2/10dlc/brand', brand)).body['brandId']);
    await call('POST', '/sim/trust/decisions', { brandId, outcome: 'approved' });
    const campaign = await call('POST', '/v2/10dlc/campaignBuilder', {
      brandId,
      usecase: 'ACCOUNT_NOTIFICATION',
      description: 'Appointment reminders for Acme Dental patients.',
    });
    const campaignId = String(campaign.body['campaignId']);
    const assigned = await call('POST', '/v2/10dlc/phone_number_campaigns', {
      phoneNumber: '+15555550101',
      campaignId,
    });
    expect(assigned.body).toMatchObject({ assignmentStatus: 'PENDING_ASSIGNMENT' });
    await call('POST', '/sim/trust/decisions', {
      phoneNumber: '+15555550101',
      outcome: 'approved',
    });
    expect((await call('GET', '/v2/10dlc/phone_number_campaigns/+15555550101')).body).toMatchObject(
      {
        assignmentStatus: 'ASSIGNED',
      },
    );
    expect((await call('GET', '/v2/10dlc/phone_number_campaigns/%2B15555550101')).status).toBe(200);
  });

  it('refuses no key (401), bad JSON (400), an unknown route (404), a bad decision (400)', async () => {
    expect(
      (await call('POST', '/v2/10dlc/brand', brand, { 'content-type': 'application/json' })).status,
    ).toBe(401);
    expect((await call('POST', '/v2/10dlc/brand', '{nope')).status).toBe(400);
    expect((await call('GET', '/v2/10dlc/unknown')).status).toBe(404);
    expect((await call('GET', '/v2/10dlc/campaign/nope')).status).toBe(404);
    const bad = await call('POST', '/sim/trust/decisions', { campaignId: 'c', outcome: 'maybe' });
    expect(bad).toEqual({
      status: 400,
      body: { error: 'a campaign outcome is approved, rejected, suspended or expired' },
    });
  });
});
