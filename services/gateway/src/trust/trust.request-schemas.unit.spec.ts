import {
  BrandRegistrationRequestedSchema,
  CampaignSubmissionRequestedSchema,
  TollFreeVerificationRequestedSchema,
} from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import {
  CreateBrandRequestSchema,
  CreateCampaignRequestSchema,
  CreateTollFreeVerificationRequestSchema,
  LintCampaignRequestSchema,
  TOLL_FREE_REQUIRED_FIELDS,
} from './trust.request-schemas.js';

/** The field names of an object schema nested in an event schema's data. */
function fieldsOf(eventSchema: Record<string, unknown>, field: string): string[] {
  const properties = eventSchema['properties'] as Record<string, { properties: object }>;
  return Object.keys(properties[field]?.properties ?? {}).sort();
}

describe('the Trust Center request bodies and the request contracts', () => {
  it('take exactly the fields the contract carries (a field more would be refused at the append)', () => {
    expect(Object.keys(CreateBrandRequestSchema.properties).sort()).toEqual(
      fieldsOf(BrandRegistrationRequestedSchema, 'brand'),
    );
    expect(Object.keys(CreateCampaignRequestSchema.properties).sort()).toEqual(
      fieldsOf(CampaignSubmissionRequestedSchema, 'campaign'),
    );
    expect(LintCampaignRequestSchema.properties).toBe(CreateCampaignRequestSchema.properties);
    expect(Object.keys(CreateTollFreeVerificationRequestSchema.properties).sort()).toEqual(
      fieldsOf(TollFreeVerificationRequestedSchema, 'verification'),
    );
  });

  it('require what the toll-free contract requires', () => {
    const properties = TollFreeVerificationRequestedSchema['properties'] as Record<
      string,
      { required: string[] }
    >;
    expect([...TOLL_FREE_REQUIRED_FIELDS].sort()).toEqual(
      [...(properties['verification']?.required ?? [])].sort(),
    );
  });
});
