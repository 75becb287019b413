import type { BulkSendRecipientsSubmitted, BulkSendRequested } from '@textplane/contracts';

/** What a bulk send's run is asked to do; `now` is the deciding instant (passed in). */
export type BulkSendCommand =
  /** The gateway's BulkSendRequested: take the bulk send on. */
  | { type: 'CreateBulkSend'; tenantId: string; request: BulkSendRequested; now: Date }
  /** One of the gateway's recipient chunks, in order. */
  | {
      type: 'FreezeRecipients';
      tenantId: string;
      submitted: BulkSendRecipientsSubmitted;
      now: Date;
    }
  /** The runner released `batch`: its messages queued (`queued`), its merge failures skipped. */
  | {
      type: 'ReleaseBatch';
      tenantId: string;
      batch: number;
      queued: number;
      skipped: Array<{ contactId: string; reason: 'missing_merge_value' }>;
      now: Date;
    }
  | { type: 'PauseBulkSend'; tenantId: string; requestedAt: Date; now: Date }
  | { type: 'ResumeBulkSend'; tenantId: string; requestedAt: Date; now: Date }
  | { type: 'CancelBulkSend'; tenantId: string; requestedAt: Date; now: Date }
  /** One of its texts was refused a hold for insufficient funds (billing.HoldRejected). */
  | { type: 'PauseForFunds'; tenantId: string; now: Date }
  /** The tenant's wallet was credited (billing.CreditPosted): a pause for funds is lifted. */
  | { type: 'ResumeAfterFunds'; tenantId: string; now: Date };
