import type * as protoLoader from '@grpc/proto-loader';
import type * as pb from '../generated/textplane/billing/v1/billing.js';
import { loadContract } from '../grpc/proto-contracts.js';
import type { Decoded, Written } from '../grpc/proto-shapes.js';

/** The billing contract, relative to the proto root (the repository's `proto/` folder). */
export const BILLING_PROTO_FILE =
  'textplane/billing/v1/billing.proto' satisfies typeof pb.protobufFileName;

export const BILLING_SERVICE_NAME =
  `${'textplane.billing.v1' satisfies typeof pb.protobufPackage}.BillingService` as const;

export type DecodedListTransactionsRequestProto = Decoded<pb.ListTransactionsRequest>;
export type DecodedGetRatesRequestProto = Decoded<pb.GetRatesRequest>;
export type DecodedGetUsageRequestProto = Decoded<pb.GetUsageRequest>;

export type WalletProto = Written<pb.Wallet>;
export type TransactionProto = Written<pb.Transaction>;
export type ChannelRatesProto = Written<pb.ChannelRates>;
export type GetWalletResponseProto = Written<pb.GetWalletResponse>;
export type ListTransactionsResponseProto = Written<pb.ListTransactionsResponse>;
export type GetRatesResponseProto = Written<pb.GetRatesResponse>;
export type GetUsageResponseProto = Written<pb.GetUsageResponse>;

/** The billing contract as proto-loader reads it from the proto root. */
export function loadBillingPackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(BILLING_PROTO_FILE, protoDir);
}
