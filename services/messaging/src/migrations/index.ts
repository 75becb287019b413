import type { MigrationInterface } from 'typeorm';
import { MessagingReadModels1767312000000 } from './1767312000000-messaging-read-models.js';
import { MessagingCompliance1767398400000 } from './1767398400000-messaging-compliance.js';
import { MessagingReceiptWatch1767484800000 } from './1767484800000-messaging-receipt-watch.js';
import { MessagingDispatchQueue1767571200000 } from './1767571200000-messaging-dispatch-queue.js';
import { MessagingContacts1767657600000 } from './1767657600000-messaging-contacts.js';
import { MessagingOptOutReminder1767744400000 } from './1767744400000-messaging-opt-out-reminder.js';
import { MessagingBulkSends1767830800000 } from './1767830800000-messaging-bulk-sends.js';
import { MessagingBulkSendCancelSweeps1767917200000 } from './1767917200000-messaging-bulk-send-cancel-sweeps.js';
import { MessagingSenderRegistrations1768010000000 } from './1768010000000-messaging-sender-registrations.js';
import { MessagingSenderTollFreeVerifications1768010100000 } from './1768010100000-messaging-sender-toll-free-verifications.js';
import { MessagingThroughputCounts1768100000000 } from './1768100000000-messaging-throughput-counts.js';
import { MessagingNumberLookups1768100007000 } from './1768100007000-messaging-number-lookups.js';
import { MessagingSenderRemoved1768100008000 } from './1768100008000-messaging-sender-removed.js';
import { MessagingFunds1768200000000 } from './1768200000000-messaging-funds.js';

export const messagingMigrations: Array<new () => MigrationInterface> = [
  MessagingReadModels1767312000000,
  MessagingCompliance1767398400000,
  MessagingReceiptWatch1767484800000,
  MessagingDispatchQueue1767571200000,
  MessagingContacts1767657600000,
  MessagingOptOutReminder1767744400000,
  MessagingBulkSends1767830800000,
  MessagingBulkSendCancelSweeps1767917200000,
  MessagingSenderRegistrations1768010000000,
  MessagingSenderTollFreeVerifications1768010100000,
  MessagingThroughputCounts1768100000000,
  MessagingNumberLookups1768100007000,
  MessagingSenderRemoved1768100008000,
  MessagingFunds1768200000000,
];
