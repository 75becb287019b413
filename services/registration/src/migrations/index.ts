import type { MigrationInterface } from 'typeorm';
import { RegistrationReadModels1767744000000 } from './1767744000000-registration-read-models.js';
import { RegistrationTollFreeVerifications1768600000000 } from './1768600000000-registration-toll-free-verifications.js';

export const registrationMigrations: Array<new () => MigrationInterface> = [
  RegistrationReadModels1767744000000,
  RegistrationTollFreeVerifications1768600000000,
];
