import type { MigrationInterface } from 'typeorm';
import { GatewayReadModels1767312100000 } from './1767312100000-gateway-read-models.js';
import { ConsentReadModels1767500000000 } from './1767500000000-consent-read-models.js';
import { RevocationReviewClaims1767600000000 } from './1767600000000-revocation-review-claims.js';

export const gatewayMigrations: Array<new () => MigrationInterface> = [
  GatewayReadModels1767312100000,
  ConsentReadModels1767500000000,
  RevocationReviewClaims1767600000000,
];
