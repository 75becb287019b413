import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCarrierSim, startCarrierSim } from '../server.js';

/** The 10DLC routes over HTTP, as server.ts maps them (the review itself: trust-registry). */

let sim: RunningCarrierSim;
const auth = { authorization: 'Bearer test-key', 'content-type': 'application/json' };

beforeAll(async () => {
  // Reviews wait far longer than any test: only forced decisions settle anything here.
  sim = await startCarrierSim({
    port: 0,
    numbers: ['+15555550101', '+18885550100'],
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

  it('removes an assignment: DELETE goes PENDING_UNASSIGNMENT, the decision removes it (then 404)', async () => {
    const phone = '+15555550101';
    // The number is on no campaign (an earlier test assigned it).
    expect((await fetch(`${sim.url}/sim/reset`, { method: 'POST' })).status).toBe(204);
    expect((await call('DELETE', `/v2/10dlc/phone_number_campaigns/${phone}`)).status).toBe(404);
    const brandId = String((await call('POST', '/v2/10dlc/brand', brand)).body['brandId']);
    await call('POST', '/sim/trust/decisions', { brandId, outcome: 'approved' });
    const campaign = await call('POST', '/v2/10dlc/campaignBuilder', {
      brandId,
      usecase: 'ACCOUNT_NOTIFICATION',
      description: 'Appointment reminders for Acme Dental patients.',
    });
    const campaignId = String(campaign.body['campaignId']);
    await call('POST', '/v2/10dlc/phone_number_campaigns', { phoneNumber: phone, campaignId });
    // Still being assigned: nothing to remove yet.
    const early = await call('DELETE', `/v2/10dlc/phone_number_campaigns/${phone}`);
    expect(early.status).toBe(400);
    await call('POST', '/sim/trust/decisions', { phoneNumber: phone, outcome: 'approved' });

    const removing = await call('DELETE', `/v2/10dlc/phone_number_campaigns/${phone}`);
    expect(removing).toMatchObject({
      status: 200,
      body: { phoneNumber: phone, campaignId, assignmentStatus: 'PENDING_UNASSIGNMENT' },
    });
    // A retried call answers the removal under way.
    expect(
      (await call('DELETE', `/v2/10dlc/phone_number_campaigns/%2B${phone.slice(1)}`)).body,
    ).toMatchObject({ assignmentStatus: 'PENDING_UNASSIGNMENT' });
    // A refused removal leaves the number assigned, FAILED_UNASSIGNMENT, and may be tried again.
    await call('POST', '/sim/trust/decisions', {
      phoneNumber: phone,
      outcome: 'rejected',
      reasons: ['Number is locked'],
    });
    expect((await call('GET', `/v2/10dlc/phone_number_campaigns/${phone}`)).body).toMatchObject({
      assignmentStatus: 'FAILED_UNASSIGNMENT',
      failureReasons: 'Number is locked',
    });
    expect((await call('DELETE', `/v2/10dlc/phone_number_campaigns/${phone}`)).body).toMatchObject({
      assignmentStatus: 'PENDING_UNASSIGNMENT',
    });
    await call('POST', '/sim/trust/decisions', { phoneNumber: phone, outcome: 'approved' });
    expect((await call('GET', `/v2/10dlc/phone_number_campaigns/${phone}`)).status).toBe(404);
    expect((await call('DELETE', `/v2/10dlc/phone_number_campaigns/${phone}`)).status).toBe(404);
    // Removed, the number may be assigned again.
    const again = await call('POST', '/v2/10dlc/phone_number_campaigns', {
      phoneNumber: phone,
      campaignId,
    });
    expect(again.body).toMatchObject({ assignmentStatus: 'PENDING_ASSIGNMENT' });
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

describe('toll-free verification routes', () => {
  const request = {
    businessName: 'Acme Dental LLC',
    corporateWebsite: 'https://acmedental.com',
    businessAddr1: '100 Congress Ave',
    businessCity: 'Austin',
    businessState: 'Texas',
    businessZip: '78701',
    businessContactFirstName: 'Ana',
    businessContactLastName: 'Diaz',
    businessContactEmail: 'ana@acmedental.com',
    businessContactPhone: '+15125550100',
    messageVolume: '1,000',
    phoneNumbers: [{ phoneNumber: '+18885550100' }],
    useCase: 'Appointments',
    useCaseSummary: 'Appointment reminders for patients.',
    productionMessageContent: 'Acme Dental: your cleaning is Tue 3 PM. Reply STOP to opt out.',
    optInWorkflow: 'Patients tick an SMS consent box on the booking form at acmedental.com/book.',
    optInWorkflowImageURLs: [{ url: 'https://acmedental.com/img/sms-consent.png' }],
    additionalInformation: '',
  };

  it('creates, reads, and forces a decision on a request', async () => {
    const created = await call('POST', '/v2/messaging_tollfree/verification/requests', request);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ verificationStatus: 'Waiting For Telnyx' });
    const id = String(created.body['id']);
    const forced = await call('POST', '/sim/trust/decisions', {
      verificationId: id,
      outcome: 'rejected',
      reasons: ['Opt-in images do not show the consent text'],
    });
    expect(forced.status).toBe(200);
    expect(
      (await call('GET', `/v2/messaging_tollfree/verification/requests/${id}`)).body,
    ).toMatchObject({
      verificationStatus: 'Rejected',
      reason: 'Opt-in images do not show the consent text',
    });
    expect((await call('GET', '/v2/messaging_tollfree/verification/requests/nope')).status).toBe(
      404,
    );
    const longCode = await call('POST', '/v2/messaging_tollfree/verification/requests', {
      ...request,
      phoneNumbers: [{ phoneNumber: '+15555550101' }],
    });
    expect(longCode.status).toBe(400);
    expect(
      (
        await call('POST', '/v2/messaging_tollfree/verification/requests', request, {
          'content-type': 'application/json',
        })
      ).status,
    ).toBe(401);
  });
});

describe('sole proprietor OTP and vetting routes', () => {
  const soleProprietor = {
    entityType: 'SOLE_PROPRIETOR',
    displayName: 'Ana Diaz Tutoring',
    email: 'ana@example.com',
    mobilePhone: '+15125550177',
    country: 'US',
    vertical: 'EDUCATION',
  };

  it('triggers an OTP, shows its PIN at /sim/trust/otp, verifies it (204)', async () => {
    const brandId = String((await call('POST', '/v2/10dlc/brand', soleProprietor)).body['brandId']);
    await call('POST', '/sim/trust/decisions', { brandId, outcome: 'approved' });
    const sent = await call('POST', `/v2/10dlc/brand/${brandId}/smsOtp`, {
      pinSms: 'Your PIN is @OTP_PIN@',
      successSms: 'Verified!',
    });
    expect(sent.status).toBe(200);
    const otp = await call('GET', `/sim/trust/otp/${brandId}`);
    expect(otp.body).toMatchObject({ brandId, referenceId: sent.body['referenceId'] });
    const pin = String(otp.body['otpPin']);
    expect((await call('GET', `/v2/10dlc/brand/${brandId}/smsOtp`)).body).toMatchObject({
      deliveryStatus: 'DELIVERED_HANDSET',
    });
    const verified = await fetch(`${sim.url}/v2/10dlc/brand/${brandId}/smsOtp`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ otpPin: pin }),
    });
    expect(verified.status).toBe(204);
    expect((await call('GET', `/v2/10dlc/brand/${brandId}`)).body).toMatchObject({
      identityStatus: 'VERIFIED',
    });
    expect((await call('GET', '/sim/trust/otp/nope')).status).toBe(404);
  });

  it('orders an external vetting, scored by a forced decision', async () => {
    const brandId = String((await call('POST', '/v2/10dlc/brand', brand)).body['brandId']);
    await call('POST', '/sim/trust/decisions', { brandId, outcome: 'approved' });
    const order = await call('POST', `/v2/10dlc/brand/${brandId}/externalVetting`, {
      evpId: 'AEGIS',
      vettingClass: 'STANDARD',
    });
    expect(order.status).toBe(200);
    expect((await call('POST', '/sim/trust/decisions', { brandId, vettingScore: 64 })).status).toBe(
      200,
    );
    const vettings = await fetch(`${sim.url}/v2/10dlc/brand/${brandId}/externalVetting`, {
      headers: auth,
    });
    const list = (await vettings.json()) as Array<Record<string, unknown>>;
    expect(list.at(-1)).toMatchObject({ vettingId: order.body['vettingId'], vettingScore: 64 });
  });
});

describe('held assignment reviews (/sim/trust/holds)', () => {
  // A short review delay, so an assignment that is not held is decided during the test.
  let quick: RunningCarrierSim;
  const HELD = '+15555550110';
  const FREE = '+15555550111';

  beforeAll(async () => {
    quick = await startCarrierSim({
      port: 0,
      numbers: [HELD, FREE],
      webhookUrl: 'http://127.0.0.1:1/unused',
      webhookAttemptsPerUrl: 1,
      trustReviewDelayMs: 20,
    });
  });

  afterAll(async () => {
    await quick.close();
  });

  async function at(method: string, path: string, value?: unknown) {
    const response = await fetch(`${quick.url}${path}`, {
      method,
      headers: auth,
      ...(value === undefined
        ? {}
        : { body: typeof value === 'string' ? value : JSON.stringify(value) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? null : JSON.parse(text)) as Record<string, unknown> | null,
    };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
  const assignmentStatus = async (phone: string) =>
    (await at('GET', `/v2/10dlc/phone_number_campaigns/${phone}`)).body?.['assignmentStatus'];

  async function provisionedCampaign(): Promise<string> {
    const brandId = String((await at('POST', '/v2/10dlc/brand', brand)).body?.['brandId']);
    await settle();
    // A campaign the simulator's review (the campaign lint) provisions.
    const campaign = await at('POST', '/v2/10dlc/campaignBuilder', {
      brandId,
      usecase: 'ACCOUNT_NOTIFICATION',
      description: 'Appointment reminders and confirmations for patients of Acme Dental.',
      messageFlow:
        'Patients check an SMS consent box on the booking form at https://acmedental.com/book to receive appointment reminders.',
      sample1: 'Acme Dental: your cleaning is booked for Tue 3 PM. Reply STOP to opt out.',
      helpMessage: 'Acme Dental: for help email support@acmedental.com. Reply STOP to opt out.',
      optoutMessage: 'Acme Dental: you are unsubscribed and will receive no more messages.',
      helpKeywords: 'HELP',
      optoutKeywords: 'STOP',
      embeddedLink: false,
      embeddedPhone: false,
    });
    const campaignId = String(campaign.body?.['campaignId']);
    await settle();
    expect((await at('GET', `/v2/10dlc/campaign/${campaignId}`)).body).toMatchObject({
      campaignStatus: 'MNO_PROVISIONED',
    });
    return campaignId;
  }

  it('keeps a held number pending while another is assigned; its decision ends the hold', async () => {
    const campaignId = await provisionedCampaign();
    const held = await at('POST', '/sim/trust/holds', { phoneNumber: HELD });
    expect(held).toEqual({
      status: 201,
      body: { data: [{ phoneNumber: HELD, assignmentStatus: null }] },
    });
    await at('POST', '/v2/10dlc/phone_number_campaigns', { phoneNumber: HELD, campaignId });
    await at('POST', '/v2/10dlc/phone_number_campaigns', { phoneNumber: FREE, campaignId });
    await settle();
    expect(await assignmentStatus(FREE)).toBe('ASSIGNED');
    expect(await assignmentStatus(HELD)).toBe('PENDING_ASSIGNMENT');
    expect((await at('GET', '/sim/trust/holds')).body).toEqual({
      data: [{ phoneNumber: HELD, assignmentStatus: 'PENDING_ASSIGNMENT' }],
    });

    const decided = await at('POST', '/sim/trust/decisions', {
      phoneNumber: HELD,
      outcome: 'approved',
    });
    expect(decided.status).toBe(200);
    expect(await assignmentStatus(HELD)).toBe('ASSIGNED');
    expect((await at('GET', '/sim/trust/holds')).body).toEqual({ data: [] });
  });

  it('DELETE releases a held review to the normal one; /sim/reset forgets holds', async () => {
    await at('POST', '/sim/reset');
    const campaignId = await provisionedCampaign();
    await at('POST', '/sim/trust/holds', { phoneNumber: HELD });
    await at('POST', '/v2/10dlc/phone_number_campaigns', { phoneNumber: HELD, campaignId });
    await settle();
    expect(await assignmentStatus(HELD)).toBe('PENDING_ASSIGNMENT');
    expect((await at('DELETE', '/sim/trust/holds')).status).toBe(204);
    await settle();
    expect(await assignmentStatus(HELD)).toBe('ASSIGNED');

    await at('POST', '/sim/trust/holds', { phoneNumber: FREE });
    expect((await at('POST', '/sim/reset')).status).toBe(204);
    expect((await at('GET', '/sim/trust/holds')).body).toEqual({ data: [] });
  });

  it('refuses a bad hold with the reason, holding nothing', async () => {
    expect(await at('POST', '/sim/trust/holds', '{nope')).toEqual({
      status: 400,
      body: { error: 'invalid JSON' },
    });
    expect(await at('POST', '/sim/trust/holds', { phoneNumber: '5550110' })).toEqual({
      status: 400,
      body: { error: 'phoneNumber must be an E.164 number' },
    });
    expect(await at('POST', '/sim/trust/holds', { phoneNumber: '+15555550999' })).toEqual({
      status: 400,
      body: { error: '+15555550999 is not a number of this account' },
    });
    expect((await at('GET', '/sim/trust/holds')).body).toEqual({ data: [] });
  });
});
