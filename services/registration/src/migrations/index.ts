import type { MigrationInterface } from 'typeorm';
import { RegistrationReadModels1767744000000 } from './1767744000000-registration-read-models.js';

export const registrationMigrations: Array<new () => MigrationInterface> = [
  RegistrationReadModels1767744000000,
];
