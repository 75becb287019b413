import type { MigrationInterface } from 'typeorm';
import { ConsentReadModels1767398400000 } from './1767398400000-consent-read-models.js';

export const consentMigrations: Array<new () => MigrationInterface> = [
  ConsentReadModels1767398400000,
];
