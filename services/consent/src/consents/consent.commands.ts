import type {
  ConsentGrantRequested,
  ConsentRevocationRequested,
  DndChangeRequested,
  RevocationReviewResolutionRequested,
} from '@textplane/contracts';
import type { ReplyIntent } from '@textplane/compliance';
import type { ReplyTexts } from './auto-replies/reply-texts.js';

/** A text the person sent to one of the tenant's numbers. */
export interface InboundReply {
  messageId: string;
  /** The person: the ledger's phone number. */
  from: string;
  /** The tenant number written to: automatic replies come from it. */
  to: string;
  body: string;
  receivedAt: string;
}

export type ConsentCommand =
  | { type: 'RecordGrant'; request: ConsentGrantRequested; now: Date }
  | { type: 'RecordRevocation'; request: ConsentRevocationRequested; now: Date }
  | { type: 'ChangeDnd'; request: DndChangeRequested; now: Date }
  | {
      type: 'HandleReply';
      tenantId: string;
      reply: InboundReply;
      /** What the classifier read in the reply (classification is not the decider's job). */
      intent: ReplyIntent;
      texts: ReplyTexts;
      now: Date;
    }
  | {
      type: 'ResolveReview';
      request: RevocationReviewResolutionRequested;
      texts: ReplyTexts;
      /** Sends the confirmation when the review does not name the number written to. */
      defaultFrom: string;
      now: Date;
    };
