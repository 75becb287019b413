import type { CarrierWebhookReceived } from '@textplane/contracts';
import type { CarrierReport } from './carrier.js';
import { parseTelnyxWebhook } from './telnyx/telnyx-webhook.js';

/**
 * The report a carrier webhook carries, read by that carrier's adapter: the use cases see
 * textplane's CarrierReport, never a carrier's payload. A new carrier is a new case here.
 */
export function reportOfCarrierWebhook(webhook: CarrierWebhookReceived): CarrierReport {
  switch (webhook.carrier) {
    case 'telnyx':
      return parseTelnyxWebhook(webhook.eventType, webhook.payload, webhook.occurredAt);
  }
}
