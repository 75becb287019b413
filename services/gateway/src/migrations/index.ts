import type { MigrationInterface } from 'typeorm';
import { GatewayReadModels1767312100000 } from './1767312100000-gateway-read-models.js';
import { ConsentReadModels1767500000000 } from './1767500000000-consent-read-models.js';
import { RevocationReviewClaims1767600000000 } from './1767600000000-revocation-review-claims.js';
import { SenderNumberOwners1767700000000 } from './1767700000000-sender-number-owners.js';
import { IdempotencyRouteScope1767700001000 } from './1767700001000-idempotency-route-scope.js';
import { ContactReadModels1767800000000 } from './1767800000000-contact-read-models.js';
import { TemplateReadModels1767900000000 } from './1767900000000-template-read-models.js';
import { MessageContactId1768000000000 } from './1768000000000-message-contact-id.js';
import { TenantSettings1768200000000 } from './1768200000000-tenant-settings.js';
import { ContactImportReadModels1768050000000 } from './1768050000000-contact-import-read-models.js';
import { MessageTemplate1768100000000 } from './1768100000000-message-template.js';
import { ConversationReadModel1768100500000 } from './1768100500000-conversation-read-model.js';
import { BulkSendReadModels1768300000000 } from './1768300000000-bulk-send-read-models.js';
import { MessageBulkSendId1768400000000 } from './1768400000000-message-bulk-send-id.js';
import { TrustReadModels1768500000000 } from './1768500000000-trust-read-models.js';
import { TrustBrandRequests1768500001000 } from './1768500001000-trust-brand-requests.js';
import { TrustTollFreeVerifications1768500002000 } from './1768500002000-trust-toll-free-verifications.js';
import { MessageWaitingFor1768600000000 } from './1768600000000-message-waiting-for.js';
import { NumberLookupReadModel1768600004000 } from './1768600004000-number-lookup-read-model.js';
import { TrustNumberRemovals1768700000000 } from './1768700000000-trust-number-removals.js';
import { BillingReadModels1768800000000 } from './1768800000000-billing-read-models.js';

export const gatewayMigrations: Array<new () => MigrationInterface> = [
  GatewayReadModels1767312100000,
  ConsentReadModels1767500000000,
  RevocationReviewClaims1767600000000,
  SenderNumberOwners1767700000000,
  IdempotencyRouteScope1767700001000,
  ContactReadModels1767800000000,
  TemplateReadModels1767900000000,
  MessageContactId1768000000000,
  TenantSettings1768200000000,
  ContactImportReadModels1768050000000,
  MessageTemplate1768100000000,
  ConversationReadModel1768100500000,
  BulkSendReadModels1768300000000,
  MessageBulkSendId1768400000000,
  TrustReadModels1768500000000,
  TrustBrandRequests1768500001000,
  TrustTollFreeVerifications1768500002000,
  MessageWaitingFor1768600000000,
  NumberLookupReadModel1768600004000,
  TrustNumberRemovals1768700000000,
  BillingReadModels1768800000000,
];
