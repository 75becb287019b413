import { LINT_CODES } from '@textplane/trust-rules';
import {
  commonErrors,
  idempotencyKey,
  json,
  nullable,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';
import { e164 } from '../http/schema-parts.js';

const STATUSES = ['pending', 'approved', 'rejected', 'suspended', 'expired'];
const instant = { type: 'string', format: 'date-time' } as const;
const nullableText = nullable('string');

const pathId = (what: string, route: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `The ${what} id, as ${route} returns it`,
  schema: { type: 'string', format: 'uuid' },
});
const brandId = pathId('brand', 'POST /v1/trust/brands');
const campaignId = pathId('campaign', 'POST /v1/trust/campaigns');

const listParameters = [
  { name: 'status', in: 'query', schema: { enum: STATUSES } },
  { name: 'cursor', in: 'query', schema: { type: 'string' } },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
];

const accepted = (what: string, schema: string) => ({
  description: what,
  headers: {
    Location: { schema: { type: 'string' } },
    'Idempotent-Replayed': { schema: { enum: ['true', 'false'] } },
  },
  content: json(ref(schema)),
});

const trustPaths = {
  '/v1/trust/brands': {
    post: {
      operationId: 'registerBrand',
      summary: 'Register an A2P 10DLC brand',
      description:
        'Checked field by field for its entity type before anything is recorded (a missing ' +
        'field, a malformed EIN, an unknown entity type or vertical: 422 invalid_brand naming ' +
        'each field). Accepted pending; registration registers it with the carrier, and its ' +
        'status, carrierStatus, vetting score and reasons follow on this resource.',
      parameters: [idempotencyKey],
      requestBody: { required: true, content: json(ref('CreateBrandRequest')) },
      responses: {
        '202': accepted('The brand, pending', 'TrustBrand'),
        ...commonErrors,
        '422': problem(
          'invalid_brand (every field named), or an Idempotency-Key used with another body',
        ),
      },
    },
    get: {
      operationId: 'listBrands',
      summary: 'List brands, newest first',
      parameters: listParameters,
      responses: {
        '200': { description: 'A page of brands', content: json(ref('TrustBrandPage')) },
        ...commonErrors,
      },
    },
  },
  '/v1/trust/brands/{id}': {
    get: {
      operationId: 'getBrand',
      summary: 'A brand with its status history',
      parameters: [brandId],
      responses: {
        '200': { description: 'The brand', content: json(ref('TrustBrand')) },
        '404': problem('No such brand'),
        ...commonErrors,
      },
    },
  },
  '/v1/trust/brands/{id}/vetting': {
    post: {
      operationId: 'requestBrandVetting',
      summary: 'Order an external vetting of a registered brand',
      description:
        'Its score arrives as the brand’s vettingScore, which sets the campaign throughput ' +
        'class; the request and its outcome show as the brand’s vetting.',
      parameters: [brandId, idempotencyKey],
      requestBody: { required: false, content: json(ref('RequestBrandVettingRequest')) },
      responses: {
        '202': accepted('The brand, its vetting requested', 'TrustBrand'),
        '404': problem('No such brand'),
        '409': problem('sole_proprietor_not_vetted, brand_not_registered or vetting_in_progress'),
        ...commonErrors,
      },
    },
  },
  '/v1/trust/brands/{id}/otp': {
    post: {
      operationId: 'requestBrandOtp',
      summary: 'Send a SOLE_PROPRIETOR brand’s mobilePhone a one-time PIN',
      parameters: [brandId, idempotencyKey],
      requestBody: { required: false, content: json(ref('RequestBrandOtpRequest')) },
      responses: {
        '202': accepted('The brand, its OTP requested', 'TrustBrand'),
        '404': problem('No such brand'),
        '409': problem('brand_not_sole_proprietor, brand_not_registered or otp_already_verified'),
        ...commonErrors,
        '422': problem('invalid_otp_request (a pinSms without @OTP_PIN@, a blank text)'),
      },
    },
  },
  '/v1/trust/brands/{id}/otp/verification': {
    post: {
      operationId: 'verifyBrandOtp',
      summary: 'Verify the PIN the sole proprietor received',
      parameters: [brandId, idempotencyKey],
      requestBody: { required: true, content: json(ref('VerifyBrandOtpRequest')) },
      responses: {
        '202': accepted('The brand, its OTP verifying', 'TrustBrand'),
        '404': problem('No such brand'),
        '409': problem('brand_not_sole_proprietor, otp_not_sent or otp_already_verified'),
        ...commonErrors,
      },
    },
  },
  '/v1/trust/toll-free-verifications': {
    post: {
      operationId: 'requestTollFreeVerification',
      summary: 'Ask for your toll-free numbers to be verified',
      description:
        'Checked before anything is recorded: every required field, each number one of your ' +
        'toll-free senders (422 invalid_toll_free_verification naming each field), no number ' +
        'under a verification that is pending or approved (409 number_verification_exists). ' +
        'Registration submits it; its status, carrierStatus (Telnyx’s Waiting For Telnyx, In ' +
        'Progress, Verified, Rejected, ...), reasons and verified numbers follow here.',
      parameters: [idempotencyKey],
      requestBody: { required: true, content: json(ref('CreateTollFreeVerificationRequest')) },
      responses: {
        '202': accepted('The verification, pending', 'TollFreeVerification'),
        '409': problem('number_verification_exists'),
        ...commonErrors,
        '422': problem(
          'invalid_toll_free_verification (every field named), or an Idempotency-Key used ' +
            'with another body',
        ),
      },
    },
    get: {
      operationId: 'listTollFreeVerifications',
      summary: 'List toll-free verifications, newest first',
      parameters: listParameters,
      responses: {
        '200': {
          description: 'A page of verifications',
          content: json(ref('TollFreeVerificationPage')),
        },
        ...commonErrors,
      },
    },
  },
  '/v1/trust/toll-free-verifications/{id}': {
    get: {
      operationId: 'getTollFreeVerification',
      summary: 'A toll-free verification with its status history',
      parameters: [pathId('verification', 'POST /v1/trust/toll-free-verifications')],
      responses: {
        '200': { description: 'The verification', content: json(ref('TollFreeVerification')) },
        '404': problem('No such verification'),
        ...commonErrors,
      },
    },
  },
  '/v1/trust/campaigns': {
    post: {
      operationId: 'submitCampaign',
      summary: 'Submit a 10DLC campaign for an approved brand',
      description:
        'Checked before anything is recorded: the field rules for the use case (0 or 6 ' +
        'samples, a sample over 1,024 characters, an unknown use case, a missing field: 422 ' +
        'invalid_campaign naming each field), the brand (422 brand_not_found; 409 ' +
        'brand_not_approved), a sole proprietor’s one campaign (409 ' +
        'sole_proprietor_campaign_exists). Registration lints it again before the fee is paid; ' +
        'a refusal shows on the resource as rejected with its field errors.',
      parameters: [idempotencyKey],
      requestBody: { required: true, content: json(ref('CreateCampaignRequest')) },
      responses: {
        '202': accepted('The campaign, pending', 'TrustCampaign'),
        ...commonErrors,
        '409': problem('brand_not_approved or sole_proprietor_campaign_exists'),
        '422': problem(
          'invalid_campaign (every field named), brand_not_found, or an Idempotency-Key used ' +
            'with another body',
        ),
      },
    },
    get: {
      operationId: 'listCampaigns',
      summary: 'List campaigns, newest first',
      parameters: [
        ...listParameters,
        { name: 'brandId', in: 'query', schema: { type: 'string', format: 'uuid' } },
      ],
      responses: {
        '200': { description: 'A page of campaigns', content: json(ref('TrustCampaignPage')) },
        ...commonErrors,
      },
    },
  },
  '/v1/trust/campaigns/lint': {
    post: {
      operationId: 'lintCampaign',
      summary: 'Find what gets a campaign rejected, before the fee is paid',
      description:
        'The body of POST /v1/trust/campaigns, any field left out. Nothing is recorded. With a ' +
        'brandId the brand’s names and contact come from your brands (422 brand_not_found for ' +
        'another); without, the brand-name check is skipped.',
      requestBody: { required: true, content: json(ref('LintCampaignRequest')) },
      responses: {
        '200': { description: 'The findings', content: json(ref('CampaignLintResult')) },
        ...commonErrors,
        '422': problem('brand_not_found'),
      },
    },
  },
  '/v1/trust/campaigns/{id}': {
    get: {
      operationId: 'getCampaign',
      summary: 'A campaign with its numbers and status history',
      parameters: [campaignId],
      responses: {
        '200': { description: 'The campaign', content: json(ref('TrustCampaign')) },
        '404': problem('No such campaign'),
        ...commonErrors,
      },
    },
  },
  '/v1/trust/campaigns/{id}/numbers': {
    post: {
      operationId: 'assignCampaignNumber',
      summary: 'Assign one of your sender numbers to the campaign',
      parameters: [campaignId, idempotencyKey],
      requestBody: { required: true, content: json(ref('AssignCampaignNumberRequest')) },
      responses: {
        '202': accepted('The campaign, the number pending among its numbers', 'TrustCampaign'),
        '404': problem('No such campaign'),
        '409': problem(
          'campaign_closed (rejected or expired), campaign_not_submitted (the carrier has not ' +
            'taken it yet) or number_already_assigned',
        ),
        ...commonErrors,
        '422': problem(
          'toll_free_number (toll-free numbers are verified, not assigned), number_not_owned, ' +
            'or an Idempotency-Key used with another body',
        ),
      },
    },
  },
  '/v1/trust/campaigns/{id}/numbers/{phone}': {
    delete: {
      operationId: 'unassignCampaignNumber',
      summary: 'Remove a number from the campaign',
      description:
        'Recorded as a removal request; registration asks the carrier to delete the ' +
        'assignment. The number stays approved, and sends, until the carrier has removed it: ' +
        'its removal goes requested, pending, then removed (the number expired: its next text ' +
        'is blocked sender_not_registered) or failed (still assigned, with the reasons).',
      parameters: [
        campaignId,
        {
          name: 'phone',
          in: 'path',
          required: true,
          description: 'The number, E.164 ("+" as it is or as %2B)',
          schema: e164,
        },
        idempotencyKey,
      ],
      responses: {
        '202': accepted('The campaign, the number’s removal requested', 'TrustCampaign'),
        '404': problem('No such campaign'),
        '409': problem(
          'number_not_assigned (not on this campaign, or still being assigned to it) or ' +
            'number_removal_in_progress',
        ),
        ...commonErrors,
        '422': problem('An Idempotency-Key used with another request'),
      },
    },
  },
};

const reason = {
  type: 'object',
  required: ['code', 'carrierReason', 'suggestedFix'],
  properties: {
    code: { type: 'string', description: 'textplane’s code for the reason' },
    carrierReason: { type: 'string', description: 'The carrier’s words, verbatim' },
    suggestedFix: { type: 'string', description: 'What to change before resubmitting' },
    field: { type: 'string' },
  },
};
const fieldError = {
  type: 'object',
  required: ['field', 'message'],
  properties: { field: { type: 'string' }, message: { type: 'string' } },
};
const standing = {
  status: { enum: STATUSES, description: 'textplane’s status' },
  carrierStatus: {
    ...nullableText,
    description: 'The carrier’s raw status (Telnyx’s, e.g. TCR_ACCEPTED); null until it has one',
  },
  reasons: {
    type: 'array',
    items: reason,
    description: 'The reasons of the last change, each with its suggested fix',
  },
  errors: {
    type: 'array',
    items: fieldError,
    description: 'The fields registration refused the request for (status rejected)',
  },
  history: {
    type: 'array',
    description: 'Every status change, oldest first',
    items: {
      type: 'object',
      required: ['at', 'status', 'carrierStatus', 'reasons', 'errors'],
      properties: {
        at: instant,
        status: { enum: STATUSES },
        carrierStatus: nullableText,
        reasons: { type: 'array', items: reason },
        errors: { type: 'array', items: fieldError },
      },
    },
  },
};
const standingRequired = ['status', 'carrierStatus', 'reasons', 'errors', 'history'];

const campaignNumber = {
  type: 'object',
  required: ['phoneNumber', ...standingRequired, 'removal', 'requestedAt', 'updatedAt'],
  properties: {
    phoneNumber: { type: 'string' },
    ...standing,
    removal: {
      type: ['object', 'null'],
      description:
        'The latest request to remove the number from the campaign (DELETE), and its outcome',
      required: [
        'requestId',
        'status',
        'carrierStatus',
        'reasons',
        'errors',
        'requestedAt',
        'updatedAt',
      ],
      properties: {
        requestId: { type: 'string', format: 'uuid' },
        status: { enum: ['requested', 'pending', 'removed', 'failed', 'rejected'] },
        carrierStatus: { ...nullableText, description: 'The carrier’s word on the removal, raw' },
        reasons: { type: 'array', items: reason },
        errors: { type: 'array', items: fieldError },
        requestedAt: instant,
        updatedAt: instant,
      },
    },
    requestedAt: instant,
    updatedAt: instant,
  },
};

const trustSchemas = {
  TrustBrand: {
    type: 'object',
    description: 'A brand: the fields of CreateBrandRequest as registered, then its standing',
    required: [
      'id',
      'entityType',
      'displayName',
      ...standingRequired,
      'vettingScore',
      'createdAt',
      'updatedAt',
    ],
    properties: {
      id: { type: 'string', format: 'uuid' },
      entityType: { type: 'string' },
      displayName: { type: 'string' },
      ...standing,
      vettingScore: nullable('integer', { minimum: 0, maximum: 100 }),
      vettingProvider: nullableText,
      vettedAt: nullable('string', { format: 'date-time' }),
      vetting: {
        type: ['object', 'null'],
        description: 'The latest vetting request and its outcome',
        required: ['requestId', 'status', 'reasons', 'errors', 'updatedAt'],
        properties: {
          requestId: { type: 'string', format: 'uuid' },
          status: { enum: ['requested', 'ordered', 'failed', 'rejected'] },
          evpId: nullableText,
          vettingClass: nullableText,
          vettingId: nullableText,
          reasons: { type: 'array', items: reason },
          errors: { type: 'array', items: fieldError },
          updatedAt: instant,
        },
      },
      otp: {
        type: ['object', 'null'],
        description: 'The sole proprietor’s latest OTP request and its outcome',
        required: ['requestId', 'status', 'failedStep', 'reasons', 'errors', 'updatedAt'],
        properties: {
          requestId: { type: 'string', format: 'uuid' },
          status: { enum: ['requested', 'sent', 'verifying', 'verified', 'failed', 'rejected'] },
          failedStep: { enum: ['send', 'verification', null] },
          reasons: { type: 'array', items: reason },
          errors: { type: 'array', items: fieldError },
          updatedAt: instant,
        },
      },
      carrierBrandId: { ...nullableText, description: 'The carrier’s id of the brand, raw' },
      tcrBrandId: { ...nullableText, description: 'The Campaign Registry’s id, raw' },
      createdAt: instant,
      updatedAt: instant,
    },
  },
  TrustBrandPage: {
    type: 'object',
    required: ['data', 'nextCursor'],
    properties: { data: { type: 'array', items: ref('TrustBrand') }, nextCursor: nullableText },
  },
  TrustCampaignNumber: campaignNumber,
  TrustCampaign: {
    type: 'object',
    description:
      'A campaign: the fields of CreateCampaignRequest as submitted (defaults filled in), its ' +
      'standing (approved once the carriers accepted it and a number is provisioned), its numbers',
    required: [
      'id',
      'brandId',
      'usecase',
      ...standingRequired,
      'carrierAccepted',
      'numbers',
      'createdAt',
      'updatedAt',
    ],
    properties: {
      id: { type: 'string', format: 'uuid' },
      brandId: { type: 'string', format: 'uuid' },
      usecase: { type: 'string' },
      ...standing,
      carrierAccepted: { type: 'boolean' },
      carrierCampaignId: { ...nullableText, description: 'The carrier’s id of the campaign, raw' },
      tcrCampaignId: nullableText,
      numbers: { type: 'array', items: campaignNumber },
      createdAt: instant,
      updatedAt: instant,
    },
  },
  TrustCampaignPage: {
    type: 'object',
    required: ['data', 'nextCursor'],
    properties: { data: { type: 'array', items: ref('TrustCampaign') }, nextCursor: nullableText },
  },
  TollFreeVerification: {
    type: 'object',
    description:
      'A toll-free verification: the fields of CreateTollFreeVerificationRequest as given, then ' +
      'its standing and the numbers verified',
    required: [
      'id',
      'phoneNumbers',
      ...standingRequired,
      'verifiedNumbers',
      'carrierVerificationId',
      'createdAt',
      'updatedAt',
    ],
    properties: {
      id: { type: 'string', format: 'uuid' },
      phoneNumbers: { type: 'array', items: { type: 'string' } },
      ...standing,
      verifiedNumbers: {
        type: 'array',
        items: { type: 'string' },
        description: 'The numbers that may carry traffic now',
      },
      carrierVerificationId: { ...nullableText, description: 'The carrier’s id, raw' },
      createdAt: instant,
      updatedAt: instant,
    },
  },
  TollFreeVerificationPage: {
    type: 'object',
    required: ['data', 'nextCursor'],
    properties: {
      data: { type: 'array', items: ref('TollFreeVerification') },
      nextCursor: nullableText,
    },
  },
  CampaignLintResult: {
    type: 'object',
    required: ['findings'],
    properties: {
      findings: {
        type: 'array',
        items: {
          type: 'object',
          required: ['code', 'field', 'message'],
          properties: {
            code: { enum: [...LINT_CODES] },
            field: { type: 'string', description: 'The body field: sampleMessages.0, ...' },
            message: { type: 'string' },
            suggestion: {
              type: ['string', 'boolean'],
              description: 'The field rewritten, where the fix is mechanical',
            },
          },
        },
      },
    },
  },
};

export const trustOperations: OpenApiOperations = { paths: trustPaths, schemas: trustSchemas };
