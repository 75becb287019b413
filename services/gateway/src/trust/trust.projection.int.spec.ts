import { randomUUID } from 'node:crypto';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { type ConsumedEvent, outboxContractCheck } from '@textplane/kafka';
import type { StoredEnvelope } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { gatewayMigrations } from '../migrations/index.js';
import { rebuildGatewayReadModels } from '../rebuild/gateway-read-models.rebuild.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant } from '../../test/tenant-fixture.js';
import { TrustCenter } from './trust-center.application.js';
import { TrustProjection } from './trust.projection.js';
import { TrustReadModel } from './trust-read-model.js';

/**
 * Registration's facts (registration.registrations.events.v1) projected into the trust read
 * models over the real gateway database: a brand registered, vetted, verified; a campaign
 * submitted, accepted and approved with its number provisioned; a refusal shown as the resource
 * rejected with its field errors; a carrier rejection with its reasons and fixes; a redelivered
 * fact applied once; and all three tables rebuilt row for row from the store and the topic.
 */

const NOW = new Date('2026-12-03T10:00:00.000Z');
const GROUP = 'gateway.trust-read-models';
let database: TestDatabase;
let projection: TrustProjection;
let trust: TrustCenter;
let readModel: TrustReadModel;
/** Every fact fed to the projection, as the topic would hold them (for the rebuild). */
const facts: ConsumedEvent[] = [];

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  projection = new TrustProjection(new Inbox(database.dataSource), GROUP);
  readModel = new TrustReadModel(database.dataSource);
  trust = new TrustCenter(
    new EventStore(database.dataSource, { check: outboxContractCheck }),
    projection,
    readModel,
    new TenantDirectory(database.dataSource),
    new IdempotencyStore(database.dataSource),
    { now: () => NOW },
  );
});

afterAll(async () => {
  await database?.drop();
});

const brandBody = {
  entityType: 'PRIVATE_PROFIT',
  displayName: 'Harbor Books',
  companyName: 'Harbor Books LLC',
  ein: '12-3456789',
  phone: '+13125550100',
  street: '1 Wacker Dr',
  city: 'Chicago',
  state: 'IL',
  postalCode: '60601',
  country: 'US',
  email: 'support@harborbooks.com',
  vertical: 'RETAIL',
};

const campaignBody = (brandId: string) => ({
  brandId,
  usecase: 'ACCOUNT_NOTIFICATION',
  description: 'Order updates and pickup notices for customers of Harbor Books.',
  messageFlow:
    'Customers check an SMS consent box on the checkout form at https://harborbooks.com/checkout to receive order updates.',
  sampleMessages: ['Harbor Books: your order 1042 is ready for pickup. Reply STOP to opt out.'],
  helpMessage: 'Harbor Books: for help email support@harborbooks.com. Reply STOP to opt out.',
  optoutMessage: 'Harbor Books: you are unsubscribed and will receive no more messages.',
});

let offset = 0;
function fact(type: string, data: Record<string, unknown>): ConsumedEvent {
  const event: ConsumedEvent = {
    id: randomUUID(),
    type,
    source: '/textplane/registration',
    subject: 'registration',
    time: NOW.toISOString(),
    tenantId: String(data['tenantId']),
    correlationId: randomUUID(),
    data,
    topic: 'registration.registrations.events.v1',
    partition: 0,
    offset: String(offset++),
  };
  facts.push(event);
  return event;
}

async function feed(type: string, data: Record<string, unknown>): Promise<ConsumedEvent> {
  const event = fact(type, data);
  await projection.handle(event);
  return event;
}

async function newTenant(): Promise<{ tenant: AuthenticatedTenant; sender: string }> {
  const sender = `+1773${String(Math.floor(2_000_000 + Math.random() * 7_999_999))}`;
  return createTestTenant(database.dataSource, { sender });
}

async function requestIdOf(table: string, column: string, id: string): Promise<string> {
  const [row] = await database.dataSource.query<Array<{ request_id: string }>>(
    `SELECT request_id FROM ${table} WHERE ${column} = $1`,
    [id],
  );
  return String(row?.request_id);
}

async function approvedBrand(tenant: AuthenticatedTenant): Promise<string> {
  const { resource } = await trust.registerBrand(tenant, brandBody, undefined);
  const brandId = resource.id;
  const tenantId = tenant.tenantId;
  await feed('registration.BrandRegistrationStarted.v1', {
    brandId,
    tenantId,
    requestId: await requestIdOf('trust_brands', 'brand_id', brandId),
    brand: brandBody,
    startedAt: '2026-12-03T10:00:01.000Z',
  });
  await feed('registration.BrandRegistered.v1', {
    brandId,
    tenantId,
    carrierBrandId: '4b20019b-carrier',
    tcrBrandId: 'BXYZ123',
    status: 'pending',
    carrierStatus: 'REGISTRATION_PENDING',
    registeredAt: '2026-12-03T10:00:02.000Z',
  });
  await feed('registration.BrandStatusChanged.v1', {
    brandId,
    tenantId,
    status: 'approved',
    previousStatus: 'pending',
    carrierStatus: 'VERIFIED',
    reasons: [],
    changedAt: '2026-12-03T10:00:03.000Z',
  });
  await feed('registration.BrandVetted.v1', {
    brandId,
    tenantId,
    vettingScore: 75,
    vettingProvider: 'AEGIS',
    vettedAt: '2026-12-03T10:00:04.000Z',
  });
  return brandId;
}

describe('the trust projection of registration’s facts', () => {
  it('shows a brand registered, verified and vetted, each change in its history', async () => {
    const { tenant } = await newTenant();
    const brandId = await approvedBrand(tenant);
    const brand = await readModel.brand(tenant.tenantId, brandId);
    expect(brand).toMatchObject({
      id: brandId,
      displayName: 'Harbor Books',
      status: 'approved',
      carrierStatus: 'VERIFIED',
      carrierBrandId: '4b20019b-carrier',
      tcrBrandId: 'BXYZ123',
      vettingScore: 75,
      vettingProvider: 'AEGIS',
      vettedAt: '2026-12-03T10:00:04.000Z',
      updatedAt: '2026-12-03T10:00:04.000Z',
    });
    expect(brand?.history.map((h) => [h.at, h.status, h.carrierStatus])).toEqual([
      [NOW.toISOString(), 'pending', null],
      ['2026-12-03T10:00:02.000Z', 'pending', 'REGISTRATION_PENDING'],
      ['2026-12-03T10:00:03.000Z', 'approved', 'VERIFIED'],
    ]);
    // Another tenant never sees it.
    const other = await newTenant();
    expect(await readModel.brand(other.tenant.tenantId, brandId)).toBeNull();
  });

  it('shows a brand the carrier failed with its reasons, each with its suggested fix', async () => {
    const { tenant } = await newTenant();
    const { resource } = await trust.registerBrand(tenant, brandBody, undefined);
    const reasons = [
      {
        code: 'ein_mismatch',
        carrierReason: 'Tax ID does not match company name',
        suggestedFix: 'Give the legal name exactly as the IRS has it for this EIN',
        field: 'companyName',
      },
    ];
    await feed('registration.BrandRegistered.v1', {
      brandId: resource.id,
      tenantId: tenant.tenantId,
      carrierBrandId: 'carrier-brand-2',
      status: 'pending',
      carrierStatus: 'REGISTRATION_PENDING',
      registeredAt: '2026-12-03T10:01:00.000Z',
    });
    await feed('registration.BrandStatusChanged.v1', {
      brandId: resource.id,
      tenantId: tenant.tenantId,
      status: 'rejected',
      previousStatus: 'pending',
      carrierStatus: 'REGISTRATION_FAILED',
      reasons,
      changedAt: '2026-12-03T10:02:00.000Z',
    });
    const brand = await readModel.brand(tenant.tenantId, resource.id);
    expect(brand).toMatchObject({
      status: 'rejected',
      carrierStatus: 'REGISTRATION_FAILED',
      reasons,
    });
    expect(brand?.history.at(-1)).toEqual({
      at: '2026-12-03T10:02:00.000Z',
      status: 'rejected',
      carrierStatus: 'REGISTRATION_FAILED',
      reasons,
      errors: [],
    });
  });

  it('shows a refused brand request as the brand rejected with its field errors', async () => {
    const { tenant } = await newTenant();
    const { resource } = await trust.registerBrand(tenant, brandBody, undefined);
    const errors = [{ field: 'brandId', message: 'a brand with this id exists' }];
    await feed('registration.RegistrationRequestRejected.v1', {
      requestId: await requestIdOf('trust_brands', 'brand_id', resource.id),
      tenantId: tenant.tenantId,
      resource: 'brand',
      resourceId: resource.id,
      errors,
      rejectedAt: '2026-12-03T10:03:00.000Z',
    });
    expect(await readModel.brand(tenant.tenantId, resource.id)).toMatchObject({
      status: 'rejected',
      carrierStatus: null,
      errors,
    });
    // A refusal of another request (its id not the brand's request) changes nothing.
    await feed('registration.RegistrationRequestRejected.v1', {
      requestId: randomUUID(),
      tenantId: tenant.tenantId,
      resource: 'brand',
      resourceId: resource.id,
      errors: [{ field: 'ein', message: 'stale' }],
      rejectedAt: '2026-12-03T10:04:00.000Z',
    });
    expect((await readModel.brand(tenant.tenantId, resource.id))?.errors).toEqual(errors);
  });

  it('shows a campaign submitted, accepted, its number assigned and provisioned, then approved', async () => {
    const { tenant, sender } = await newTenant();
    const tenantId = tenant.tenantId;
    const brandId = await approvedBrand(tenant);
    const { resource } = await trust.submitCampaign(tenant, campaignBody(brandId), undefined);
    const campaignId = resource.id;
    await feed('registration.CampaignSubmitted.v1', {
      campaignId,
      tenantId,
      brandId,
      carrierCampaignId: 'carrier-campaign-1',
      tcrCampaignId: 'CABC123',
      status: 'pending',
      carrierStatus: 'TCR_PENDING',
      submittedAt: '2026-12-03T10:10:00.000Z',
    });
    await feed('registration.CampaignStatusChanged.v1', {
      campaignId,
      tenantId,
      status: 'pending',
      previousStatus: 'pending',
      carrierStatus: 'MNO_PROVISIONED',
      carrierAccepted: true,
      reasons: [],
      changedAt: '2026-12-03T10:11:00.000Z',
    });
    const assigned = await trust.assignNumber(
      tenant,
      campaignId,
      { phoneNumber: sender },
      undefined,
    );
    expect(assigned.resource.numbers).toEqual([
      expect.objectContaining({ phoneNumber: sender, status: 'pending' }),
    ]);
    const requestId = await requestIdOf('trust_campaign_numbers', 'campaign_id', campaignId);
    await feed('registration.NumberAssignmentStarted.v1', {
      tenantId,
      phoneNumber: sender,
      campaignId,
      carrierCampaignId: 'carrier-campaign-1',
      requestId,
      startedAt: '2026-12-03T10:12:00.000Z',
    });
    await feed('registration.NumberAssignmentSubmitted.v1', {
      tenantId,
      phoneNumber: sender,
      campaignId,
      carrierStatus: 'PENDING',
      submittedAt: '2026-12-03T10:12:30.000Z',
    });
    const redelivered = await feed('registration.NumberAssigned.v1', {
      tenantId,
      phoneNumber: sender,
      campaignId,
      carrierStatus: 'ASSIGNED',
      assignedAt: '2026-12-03T10:13:00.000Z',
    });
    // Redelivered: applied once (the inbox).
    await projection.handle(redelivered);
    await feed('registration.CampaignNumberProvisioned.v1', {
      campaignId,
      tenantId,
      phoneNumber: sender,
      provisionedAt: '2026-12-03T10:13:01.000Z',
    });
    await feed('registration.CampaignStatusChanged.v1', {
      campaignId,
      tenantId,
      status: 'approved',
      previousStatus: 'pending',
      carrierStatus: 'MNO_PROVISIONED',
      carrierAccepted: true,
      reasons: [],
      changedAt: '2026-12-03T10:13:01.000Z',
    });
    await feed('registration.CampaignApproved.v1', {
      campaignId,
      tenantId,
      brandId,
      usecase: 'ACCOUNT_NOTIFICATION',
      carrierStatus: 'MNO_PROVISIONED',
      phoneNumbers: [sender],
      approvedAt: '2026-12-03T10:13:01.000Z',
    });
    const campaign = await readModel.campaign(tenantId, campaignId);
    expect(campaign).toMatchObject({
      id: campaignId,
      brandId,
      status: 'approved',
      carrierStatus: 'MNO_PROVISIONED',
      carrierAccepted: true,
      carrierCampaignId: 'carrier-campaign-1',
      tcrCampaignId: 'CABC123',
    });
    expect(campaign?.history.map((h) => [h.status, h.carrierStatus])).toEqual([
      ['pending', null],
      ['pending', 'TCR_PENDING'],
      ['pending', 'MNO_PROVISIONED'],
      ['approved', 'MNO_PROVISIONED'],
    ]);
    expect(campaign?.numbers).toHaveLength(1);
    expect(campaign?.numbers[0]).toMatchObject({
      phoneNumber: sender,
      status: 'approved',
      carrierStatus: 'ASSIGNED',
    });
    expect(campaign?.numbers[0]?.history.map((h) => [h.status, h.carrierStatus])).toEqual([
      ['pending', null],
      ['pending', 'PENDING'],
      ['approved', 'ASSIGNED'],
    ]);
    const other = await newTenant();
    expect(await readModel.campaign(other.tenant.tenantId, campaignId)).toBeNull();
  });

  it('shows a refused campaign and a refused or failed number assignment as rejected', async () => {
    const { tenant, sender } = await newTenant();
    const tenantId = tenant.tenantId;
    const brandId = await approvedBrand(tenant);
    const refused = await trust.submitCampaign(tenant, campaignBody(brandId), undefined);
    const errors = [
      {
        field: 'sampleMessages.0',
        message: 'missing_brand_name: the sample does not name the brand',
      },
    ];
    await feed('registration.RegistrationRequestRejected.v1', {
      requestId: await requestIdOf('trust_campaigns', 'campaign_id', refused.resource.id),
      tenantId,
      resource: 'campaign',
      resourceId: refused.resource.id,
      errors,
      rejectedAt: '2026-12-03T10:20:00.000Z',
    });
    expect(await readModel.campaign(tenantId, refused.resource.id)).toMatchObject({
      status: 'rejected',
      errors,
    });

    const { resource } = await trust.submitCampaign(tenant, campaignBody(brandId), undefined);
    await feed('registration.CampaignSubmitted.v1', {
      campaignId: resource.id,
      tenantId,
      brandId,
      carrierCampaignId: 'carrier-campaign-2',
      status: 'pending',
      carrierStatus: 'TCR_PENDING',
      submittedAt: '2026-12-03T10:21:00.000Z',
    });
    await trust.assignNumber(tenant, resource.id, { phoneNumber: sender }, undefined);
    const numberErrors = [{ field: 'phoneNumber', message: 'is not a number of this tenant' }];
    await feed('registration.RegistrationRequestRejected.v1', {
      requestId: await requestIdOf('trust_campaign_numbers', 'campaign_id', resource.id),
      tenantId,
      resource: 'number_assignment',
      resourceId: sender,
      errors: numberErrors,
      rejectedAt: '2026-12-03T10:22:00.000Z',
    });
    expect((await readModel.campaign(tenantId, resource.id))?.numbers[0]).toMatchObject({
      status: 'rejected',
      errors: numberErrors,
    });

    // Asked again (a rejected assignment holds no number), then failed by the carrier.
    await trust.assignNumber(tenant, resource.id, { phoneNumber: sender }, undefined);
    expect((await readModel.campaign(tenantId, resource.id))?.numbers[0]).toMatchObject({
      status: 'pending',
      errors: [],
    });
    const reasons = [
      {
        code: 'unspecified',
        carrierReason: 'Number is not 10DLC capable',
        suggestedFix: 'Assign a US long code of this account',
      },
    ];
    await feed('registration.NumberAssignmentStarted.v1', {
      tenantId,
      phoneNumber: sender,
      campaignId: resource.id,
      carrierCampaignId: 'carrier-campaign-2',
      requestId: (
        await database.dataSource.query<Array<{ request_id: string }>>(
          `SELECT request_id FROM trust_campaign_numbers WHERE campaign_id = $1
           ORDER BY requested_at DESC, request_id DESC LIMIT 1`,
          [resource.id],
        )
      )[0]?.request_id,
      startedAt: '2026-12-03T10:22:30.000Z',
    });
    await feed('registration.NumberAssignmentFailed.v1', {
      tenantId,
      phoneNumber: sender,
      campaignId: resource.id,
      carrierStatus: 'FAILED',
      reasons,
      failedAt: '2026-12-03T10:23:00.000Z',
    });
    const number = (await readModel.campaign(tenantId, resource.id))?.numbers[0];
    expect(number).toMatchObject({ status: 'rejected', carrierStatus: 'FAILED', reasons });
    expect(number?.history.map((h) => h.status)).toEqual([
      'pending',
      'rejected',
      'pending',
      'rejected',
    ]);
  });

  it('shows a number removed, assigned again, then its second removal refused (rebuilt below)', async () => {
    const { tenant, sender } = await newTenant();
    const tenantId = tenant.tenantId;
    const brandId = await approvedBrand(tenant);
    const { resource } = await trust.submitCampaign(tenant, campaignBody(brandId), undefined);
    const campaignId = resource.id;
    const subject = { tenantId, phoneNumber: sender, campaignId };
    await feed('registration.CampaignSubmitted.v1', {
      campaignId,
      tenantId,
      brandId,
      carrierCampaignId: 'carrier-campaign-4',
      status: 'pending',
      carrierStatus: 'TCR_PENDING',
      submittedAt: '2026-12-03T10:40:00.000Z',
    });
    const latestRequest = async (type: string) =>
      (
        await database.dataSource.query<Array<{ id: string }>>(
          `SELECT data->>'requestId' AS id FROM events WHERE stream_id = $1 AND type = $2
           ORDER BY version DESC LIMIT 1`,
          [`trust-campaign-${campaignId}`, type],
        )
      )[0]!.id;
    const assign = async (minute: number) => {
      await trust.assignNumber(tenant, campaignId, { phoneNumber: sender }, undefined);
      await feed('registration.NumberAssignmentStarted.v1', {
        ...subject,
        carrierCampaignId: 'carrier-campaign-4',
        requestId: await latestRequest('gateway.NumberAssignmentRequested.v1'),
        startedAt: `2026-12-03T10:${minute}:00.000Z`,
      });
      await feed('registration.NumberAssigned.v1', {
        ...subject,
        carrierStatus: 'ASSIGNED',
        assignedAt: `2026-12-03T10:${minute}:30.000Z`,
      });
    };

    await assign(41);
    const removing = await trust.unassignNumber(tenant, campaignId, sender, undefined);
    expect(removing.resource.numbers).toEqual([
      expect.objectContaining({
        status: 'approved',
        removal: expect.objectContaining({ status: 'requested' }) as unknown,
      }),
    ]);
    await feed('registration.NumberUnassignmentStarted.v1', {
      ...subject,
      requestId: await latestRequest('gateway.NumberUnassignmentRequested.v1'),
      startedAt: '2026-12-03T10:42:00.000Z',
    });
    await feed('registration.NumberUnassignmentSubmitted.v1', {
      ...subject,
      carrierStatus: 'PENDING_UNASSIGNMENT',
      submittedAt: '2026-12-03T10:42:30.000Z',
    });
    await feed('registration.NumberUnassigned.v1', {
      ...subject,
      carrierStatus: 'PENDING_UNASSIGNMENT',
      unassignedAt: '2026-12-03T10:43:00.000Z',
    });

    await assign(44);
    await trust.unassignNumber(tenant, campaignId, sender, undefined);
    await feed('registration.RegistrationRequestRejected.v1', {
      requestId: await latestRequest('gateway.NumberUnassignmentRequested.v1'),
      tenantId,
      resource: 'number_assignment',
      resourceId: sender,
      errors: [{ field: 'phoneNumber', message: 'the number is not assigned to this campaign' }],
      rejectedAt: '2026-12-03T10:45:00.000Z',
    });

    const rows = await database.dataSource.query<
      Array<{ status: string; removal: { status: string } | null }>
    >(
      `SELECT status, removal FROM trust_campaign_numbers WHERE campaign_id = $1
       ORDER BY requested_at, request_id`,
      [campaignId],
    );
    expect(rows.map((r) => [r.status, r.removal?.status])).toEqual([
      ['expired', 'removed'],
      ['approved', 'rejected'],
    ]);
    // The campaign shows the number as its latest request: assigned, its removal refused.
    const campaign = await trust.getCampaign(tenant, campaignId);
    expect(campaign.numbers).toEqual([
      expect.objectContaining({
        status: 'approved',
        removal: expect.objectContaining({ status: 'rejected' }) as unknown,
      }),
    ]);
  });

  it('rebuilds trust_brands, trust_campaigns, trust_campaign_numbers and trust_toll_free_verifications row for row', async () => {
    // Its own brand, campaign and number (the other tests' rows are rebuilt too).
    const { tenant, sender } = await newTenant();
    const brandId = await approvedBrand(tenant);
    const { resource } = await trust.submitCampaign(tenant, campaignBody(brandId), undefined);
    await feed('registration.CampaignSubmitted.v1', {
      campaignId: resource.id,
      tenantId: tenant.tenantId,
      brandId,
      carrierCampaignId: 'carrier-campaign-3',
      status: 'pending',
      carrierStatus: 'TCR_PENDING',
      submittedAt: '2026-12-03T10:30:00.000Z',
    });
    await trust.assignNumber(tenant, resource.id, { phoneNumber: sender }, undefined);
    // A toll-free verification, submitted and verified.
    const tollFreeSender = `+1877${String(Math.floor(2_000_000 + Math.random() * 7_999_999))}`;
    const tf = await createTestTenant(database.dataSource, { sender: tollFreeSender });
    const verification = await trust.requestTollFreeVerification(
      tf.tenant,
      {
        businessName: 'Harbor Books LLC',
        corporateWebsite: 'https://harborbooks.com',
        businessAddr1: '1 Wacker Dr',
        businessCity: 'Chicago',
        businessState: 'Illinois',
        businessZip: '60601',
        businessContactFirstName: 'Ann',
        businessContactLastName: 'Lee',
        businessContactEmail: 'ann@harborbooks.com',
        businessContactPhone: '+13125550100',
        messageVolume: '1,000',
        phoneNumbers: [tollFreeSender],
        useCase: 'Order Notifications',
        useCaseSummary: 'Order updates for customers who opted in at checkout.',
        productionMessageContent: 'Harbor Books: your order is ready. Reply STOP to opt out.',
        optInWorkflow: 'Customers check an SMS consent box at checkout on harborbooks.com.',
        optInWorkflowImageURLs: ['https://harborbooks.com/optin.png'],
      },
      undefined,
    );
    await feed('registration.TollFreeVerificationSubmitted.v1', {
      verificationId: verification.resource.id,
      tenantId: tf.tenant.tenantId,
      carrierVerificationId: 'tf-carrier-9',
      phoneNumbers: [tollFreeSender],
      status: 'pending',
      carrierStatus: 'In Progress',
      submittedAt: '2026-12-03T10:31:00.000Z',
    });
    await feed('registration.TollFreeNumberVerified.v1', {
      tenantId: tf.tenant.tenantId,
      phoneNumber: tollFreeSender,
      verificationId: verification.resource.id,
      carrierStatus: 'Verified',
      verifiedAt: '2026-12-03T10:32:00.000Z',
    });
    const scratch = await createTestDatabase({ migrations: gatewayMigrations });
    try {
      const stored = await database.dataSource.query<
        Array<{
          event_id: string;
          type: string;
          stream_id: string;
          stream_type: string;
          data: unknown;
          metadata: { tenantId?: string; correlationId?: string };
          occurred_at: Date;
          global_position: string;
        }>
      >(
        `SELECT event_id, type, stream_id, stream_type, data, metadata, occurred_at, global_position
         FROM events ORDER BY global_position`,
      );
      const store: StoredEnvelope[] = stored.map((row) => ({
        id: row.event_id,
        type: row.type,
        source: '/textplane/store',
        subject: row.stream_id,
        time: row.occurred_at.toISOString(),
        ...(row.metadata.tenantId ? { tenantId: row.metadata.tenantId } : {}),
        correlationId: row.metadata.correlationId ?? row.event_id,
        data: row.data,
        topic: 'store',
        partition: 0,
        offset: row.global_position,
        streamType: row.stream_type,
      }));
      await rebuildGatewayReadModels(scratch.dataSource, {
        store,
        topics: { 'registration.registrations.events.v1': facts },
      });
      for (const [table, order] of [
        ['trust_brands', 'brand_id'],
        ['trust_campaigns', 'campaign_id'],
        ['trust_campaign_numbers', 'request_id'],
        ['trust_toll_free_verifications', 'verification_id'],
      ] as const) {
        const live = await database.dataSource.query<unknown[]>(
          `SELECT * FROM ${table} ORDER BY ${order}`,
        );
        const rebuilt = await scratch.dataSource.query<unknown[]>(
          `SELECT * FROM ${table} ORDER BY ${order}`,
        );
        expect(live.length, table).toBeGreaterThan(0);
        expect(rebuilt, table).toEqual(live);
      }
    } finally {
      await scratch.drop();
    }
  });
});
