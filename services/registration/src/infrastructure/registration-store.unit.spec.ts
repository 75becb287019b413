import { describe, expect, it } from 'vitest';
import {
  at,
  brandId,
  campaignBody,
  campaignId,
  tenantId,
  tenantNumber,
  tollFreeBody,
  tollFreeNumber,
  verificationId,
} from '../../test/fixtures.js';
import { brandStreamId } from '../brands/brand.events.js';
import { tollFreeVerificationStreamId } from '../toll-free-verifications/toll-free-verification.events.js';
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

  it('a vetting order has the brand polled until its score arrives', () => {
    const streamId = brandStreamId(brandId);
    expect(
      referenceChangesOf({
        type: 'registration.BrandVettingOrdered.v1',
        data: {
          brandId,
          tenantId,
          requestId: brandId,
          evpId: 'AEGIS',
          vettingClass: 'STANDARD',
          orderedAt: at,
        },
      }),
    ).toEqual([
      { table: 'carrier_references_settled', kind: 'brand', streamId, settled: false, at },
    ]);
    expect(
      referenceChangesOf({
        type: 'registration.BrandVetted.v1',
        data: { brandId, tenantId, vettingScore: 80, vettedAt: at },
      }),
    ).toEqual([
      { table: 'carrier_references_settled', kind: 'brand', streamId, settled: true, at },
    ]);
  });

  it('a verified OTP has the brand polled until its approval is read', () => {
    expect(
      referenceChangesOf({
        type: 'registration.BrandOtpVerified.v1',
        data: { brandId, tenantId, requestId: brandId, verifiedAt: at },
      }),
    ).toEqual([
      {
        table: 'carrier_references_settled',
        kind: 'brand',
        streamId: brandStreamId(brandId),
        settled: false,
        at,
      },
    ]);
  });

  it("a toll-free verification's numbers are held while it is pending or approved", () => {
    const started = referenceChangesOf({
      type: 'registration.TollFreeVerificationStarted.v1',
      data: {
        verificationId,
        tenantId,
        requestId: brandId,
        verification: tollFreeBody,
        startedAt: at,
      },
    });
    expect(started).toEqual([
      {
        table: 'toll_free_verification_numbers',
        verificationId,
        tenantId,
        phoneNumbers: [tollFreeNumber],
        active: true,
      },
    ]);
    const change = (status: 'rejected' | 'approved') =>
      referenceChangesOf({
        type: 'registration.TollFreeVerificationStatusChanged.v1',
        data: {
          verificationId,
          tenantId,
          phoneNumbers: [tollFreeNumber],
          status,
          previousStatus: 'pending',
          carrierStatus: status === 'approved' ? 'Verified' : 'Rejected',
          reasons: [],
          changedAt: at,
        },
      });
    expect(change('rejected')).toEqual([
      {
        table: 'carrier_references_settled',
        kind: 'toll_free_verification',
        streamId: tollFreeVerificationStreamId(verificationId),
        settled: true,
        at,
      },
      expect.objectContaining({ table: 'toll_free_verification_numbers', active: false }),
    ]);
    expect(change('approved')[1]).toEqual(
      expect.objectContaining({ table: 'toll_free_verification_numbers', active: true }),
    );
  });

  it('facts that change no lookup write nothing', () => {
    expect(
      referenceChangesOf({
        type: 'registration.TollFreeNumberVerified.v1',
        data: {
          tenantId,
          phoneNumber: tollFreeNumber,
          verificationId,
          carrierStatus: 'Verified',
          verifiedAt: at,
        },
      }),
    ).toEqual([]);
  });
});
