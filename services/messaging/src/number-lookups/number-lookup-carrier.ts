import type { LineType, NumberLookupFailureReason, RecipientCarrier } from '@textplane/contracts';

/** What the carrier's number lookup said, in textplane's terms (the adapter maps the carrier's). */
export type CarrierNumberLookup =
  | {
      outcome: 'found';
      lineType: LineType;
      carrier: RecipientCarrier;
      /** The carrier's name as the lookup gave it (raw), when it gave one. */
      carrierName?: string;
      /** The line type as the lookup gave it (raw), when it gave one. */
      carrierLineType?: string;
    }
  | {
      outcome: 'failed';
      reason: NumberLookupFailureReason;
      detail: string;
      carrierErrorCode?: string;
    };

/** The carrier's number lookup (Telnyx: infrastructure/carriers/telnyx/telnyx-number-lookup.ts). */
export interface NumberLookupCarrier {
  lookUpNumber(phoneNumber: string): Promise<CarrierNumberLookup>;
}
