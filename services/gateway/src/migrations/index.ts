import type { MigrationInterface } from 'typeorm';
import { GatewayReadModels1767312100000 } from './1767312100000-gateway-read-models.js';

export const gatewayMigrations: Array<new () => MigrationInterface> = [
  GatewayReadModels1767312100000,
];
