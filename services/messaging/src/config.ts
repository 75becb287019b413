import { bool, int, loadConfig, nonEmpty, optionalNonEmpty, port, url, z } from '@textplane/config';
import { runtimeConfigFields } from '@textplane/service-runtime';

const schema = z.object({
  MESSAGING_HTTP_PORT: port(8081),
  MESSAGING_HOST: nonEmpty('0.0.0.0'),
  MESSAGING_DATABASE_URL: url({
    default: 'postgres://postgres@127.0.0.1:5432/textplane_messaging',
    protocols: ['postgres', 'postgresql'],
  }),
  MESSAGING_DB_POOL_SIZE: int({ min: 2, max: 200, default: 20 }),
  TELNYX_API_KEY: nonEmpty('carrier-sim'),
  TELNYX_BASE_URL: url('http://127.0.0.1:4010/v2'),
  TELNYX_MESSAGING_PROFILE_ID: optionalNonEmpty(),
  CARRIER_TIMEOUT_MS: int({ min: 100, max: 120_000, default: 10_000 }),
  // Retries belong to the submission loop, which looks at consent again before each call; a
  // retry inside the SDK could deliver after a STOP recorded while it waited.
  CARRIER_SDK_MAX_RETRIES: int({ min: 0, max: 10, default: 0 }),
  CARRIER_SUBMISSION_ATTEMPTS: int({ min: 1, max: 20, default: 5 }),
  /** How often the dispatch queue is checked for due messages (scheduled, quiet hours, woken). */
  HELD_RELEASE_INTERVAL_MS: int({ min: 50, max: 60_000, default: 250 }),
  /** How often the bulk-send runner looks for due batches (each release is one transaction). */
  BULK_SEND_RELEASE_INTERVAL_MS: int({ min: 50, max: 60_000, default: 500 }),
  /** Batches released per tick of the bulk-send runner, at most (the rest wait for the next tick). */
  BULK_SEND_RELEASES_PER_TICK: int({ min: 1, max: 1_000, default: 20 }),
  /** A message still `sending`/`sent` this long after its submission began is asked about at the carrier. */
  RECEIPT_RECONCILE_AFTER_S: int({ min: 1, max: 864_000, default: 600 }),
  /** How often the reconciliation sweep runs. */
  RECEIPT_RECONCILE_INTERVAL_MS: int({ min: 100, max: 3_600_000, default: 10_000 }),
  /** Messages checked per sweep. */
  RECEIPT_RECONCILE_BATCH: int({ min: 1, max: 10_000, default: 100 }),
  /** Checks of one message before it ends without a confirmed outcome. */
  RECEIPT_RECONCILE_MAX_CHECKS: int({ min: 1, max: 100, default: 8 }),
  /** Wait after an inconclusive check, doubling each time up to one hour. */
  RECEIPT_RECONCILE_BACKOFF_S: int({ min: 1, max: 86_400, default: 60 }),
  /**
   * The sender-registration gate (issue 12 §2): a US long code sends only once assigned to an
   * approved campaign. Off only for a test harness whose senders are not registered.
   */
  MESSAGING_ENFORCE_SENDER_REGISTRATION: bool(true),
  /**
   * The funds gate (issue 13): a text reaches the carrier only once billing has held its
   * worst-case cost from the tenant's wallet. Off only for a harness that runs no billing.
   */
  MESSAGING_ENFORCE_FUNDS: bool(true),
  /**
   * The platform's Telnyx account limits (messages per second; Telnyx's defaults), shared by
   * every tenant unless the operator raises a tenant's (PUT /admin/v1/tenants/{id}/limits).
   */
  THROUGHPUT_ACCOUNT_SMS_PER_SECOND: int({ min: 1, max: 1_000_000, default: 50 }),
  THROUGHPUT_ACCOUNT_MMS_PER_SECOND: int({ min: 1, max: 1_000_000, default: 15 }),
  /**
   * Added to every rate window (at most 5% of it): headroom for the time between the count and
   * the carrier's receipt, which for a batch counted at once spreads over its carrier calls.
   */
  THROUGHPUT_WINDOW_MARGIN_MS: int({ min: 0, max: 60_000, default: 2_000 }),
  /** Number validation: lookups at the carrier at once per process, numbers per pass, ... */
  NUMBER_LOOKUP_CONCURRENCY: int({ min: 1, max: 64, default: 4 }),
  NUMBER_LOOKUP_BATCH: int({ min: 1, max: 1_000, default: 50 }),
  /** How long a process owns a number it is looking up (another takes over after). */
  NUMBER_LOOKUP_CLAIM_MS: int({ min: 1_000, max: 600_000, default: 30_000 }),
  /** How often messages waiting on a lookup are looked for. */
  NUMBER_LOOKUP_INTERVAL_MS: int({ min: 50, max: 60_000, default: 250 }),
  /** How long a failed lookup lets the number's messages through flagged before a new lookup. */
  NUMBER_LOOKUP_FAILURE_REUSE_MS: int({ min: 0, max: 86_400_000, default: 3_600_000 }),
  /** How often spent rate counters are deleted. */
  THROUGHPUT_PRUNE_INTERVAL_MS: int({ min: 100, max: 3_600_000, default: 60_000 }),
  ...runtimeConfigFields,
});

export type MessagingConfig = Readonly<z.infer<typeof schema>>;

export function loadMessagingConfig(
  env: Record<string, string | undefined> = process.env,
): MessagingConfig {
  return loadConfig(schema, env, 'messaging');
}
