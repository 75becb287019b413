import type { MigrationInterface } from 'typeorm';
import { MessagingReadModels1767312000000 } from './1767312000000-messaging-read-models.js';

export const messagingMigrations: Array<new () => MigrationInterface> = [
  MessagingReadModels1767312000000,
];
