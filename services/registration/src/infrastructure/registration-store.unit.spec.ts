import { describe, expect, it } from 'vitest';
import {
  at,
  brandId,
  campaignBody,
  campaignId,
  tenantId,
  tenantNumber,
} from '../../test/fixtures.js';
import { type RegistrationEvent, referenceChangesOf } from './registration-store.js';

const changed = (
  status: 'approved' | 'pending' | 'rejected',
  carrierAccepted: boolean,
): RegistrationEvent => ({
  type: 'registration.CampaignStatusChanged.v1',
  data: {
    campaignId,
    tenantId,
    status,
    previousStatus: 'pending',
    carrierStatus: 'X',
    carrierAccepted,
    reasons: [],
    changedAt: at,
  },
});

describe('the lookup rows each fact writes', () => {
  it('a registered brand: its carrier id, settled once approved', () => {
    expect(
      referenceChangesOf({
        type: 'registration.BrandRegistered.v1',
        data: {
          brandId,
          tenantId,
          carrierBrandId: 'cb',
          status: 'pending',
          carrierStatus: 'REGISTRATION_PENDING',
          registeredAt: at,
        },
      }),
    ).toEqual([
      {
        table: 'carrier_references',
        kind: 'brand',
        carrierId: 'cb',
        streamId: `brand-${brandId}`,
        tenantId,
        settled: false,
        at,
      },
    ]);
  });

  it('a campaign is watched until the carriers accepted or refused it', () => {
    expect(referenceChangesOf(changed('pending', false))).toMatchObject([{ settled: false }]);
    expect(referenceChangesOf(changed('pending', true))).toMatchObject([{ settled: true }]);
    expect(referenceChangesOf(changed('rejected', false))).toMatchObject([{ settled: true }]);
  });

  it("a started submission counts toward its brand's campaigns", () => {
    expect(
      referenceChangesOf({
        type: 'registration.CampaignSubmissionStarted.v1',
        data: {
          campaignId,
          tenantId,
          requestId: campaignId,
          carrierBrandId: 'cb',
          campaign: campaignBody,
          startedAt: at,
        },
      }),
    ).toEqual([{ table: 'brand_campaigns', brandId, campaignId }]);
  });

  it('an assignment: the phone number, settled once assigned', () => {
    const streamId = `number-assignment-${tenantId}-${tenantNumber}`;
    expect(
      referenceChangesOf({
        type: 'registration.NumberAssigned.v1',
        data: {
          tenantId,
          phoneNumber: tenantNumber,
          campaignId,
          carrierStatus: 'ASSIGNED',
          assignedAt: at,
        },
      }),
    ).toEqual([
      { table: 'carrier_references_settled', kind: 'phone_number', streamId, settled: true, at },
    ]);
  });

  it('facts that change no lookup write nothing', () => {
    expect(
      referenceChangesOf({
        type: 'registration.BrandVetted.v1',
        data: { brandId, tenantId, vettingScore: 80, vettedAt: at },
      }),
    ).toEqual([]);
  });
});
