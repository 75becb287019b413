import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { pageSizeOf } from '../grpc/page-size.js';
import { fromRequestTimestamp, toTimestampProto } from '../grpc/timestamps.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import type { TransactionResource, WalletResource } from './billing-record.js';
import {
  type BillingApplication,
  type ChannelRates,
  type RatesResource,
  TRANSACTION_PAGE_SIZE,
} from './billing.application.js';
import {
  BILLING_SERVICE_NAME,
  type ChannelRatesProto,
  type DecodedGetRatesRequestProto,
  type DecodedGetUsageRequestProto,
  type DecodedListTransactionsRequestProto,
  type GetRatesResponseProto,
  type GetUsageResponseProto,
  type GetWalletResponseProto,
  type ListTransactionsResponseProto,
  loadBillingPackage,
  type TransactionProto,
  type WalletProto,
} from './billing-proto.js';
import type { UsageReport } from './usage-report.js';

export const BILLING_GRPC_API = Symbol('BILLING_GRPC_API');

/** The billing reads the gRPC service calls (the REST routes' own). */
export type BillingReads = Pick<BillingApplication, 'wallet' | 'transactions' | 'rates' | 'usage'>;

/** int64 as proto-loader writes it (`longs: String`). */
const int64 = (micros: number): string => String(micros);

/** The REST query names as the proto's, so an error names the request's field. */
const QUERY_NAMES: Record<string, string> = {
  cursor: 'page_token',
  limit: 'page_size',
  groupBy: 'group_by',
};

async function withFields<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ApiError) || error.violations.length === 0) throw error;
    throw new ApiError(
      error.kind,
      error.code,
      error.detail,
      error.violations.map((v) => ({ ...v, field: QUERY_NAMES[v.field] ?? v.field })),
    );
  }
}

export function walletProto(wallet: WalletResource): WalletProto {
  const recharge = wallet.settings.autoRecharge;
  return {
    currency: wallet.currency,
    balance_micros: int64(wallet.balance),
    held_micros: int64(wallet.held),
    available_micros: int64(wallet.available),
    settings: {
      auto_recharge:
        recharge === null
          ? null
          : {
              enabled: recharge.enabled,
              threshold_micros: int64(recharge.threshold),
              amount_micros: int64(recharge.amount),
            },
      low_balance_threshold_micros:
        wallet.settings.lowBalanceThreshold === null
          ? null
          : int64(wallet.settings.lowBalanceThreshold),
      funds_wait_limit_seconds: wallet.settings.fundsWaitLimit,
    },
    update_time: wallet.updatedAt === null ? null : toTimestampProto(wallet.updatedAt),
  };
}

export function transactionProto(entry: TransactionResource): TransactionProto {
  return {
    id: entry.id,
    kind: entry.kind,
    amount_micros: int64(entry.amount),
    currency: entry.currency,
    time: toTimestampProto(entry.at),
    message_id: entry.messageId,
    bulk_send_id: entry.bulkSendId,
    credit_id: entry.creditId,
    reference: entry.reference,
    balance_after_micros: int64(entry.walletAfter.balance),
    held_after_micros: int64(entry.walletAfter.held),
    available_after_micros: int64(entry.walletAfter.available),
  };
}

function channelRatesProto(rates: ChannelRates | undefined): ChannelRatesProto | null {
  if (rates === undefined) return null;
  return {
    price_micros: int64(rates.price),
    carrier_fees: rates.carrierFees.map((fee) => ({
      carrier: fee.carrier,
      registered_micros: int64(fee.registered),
      unregistered_micros: int64(fee.unregistered),
    })),
    worst_case_micros: int64(rates.worstCase),
  };
}

export function ratesProto(rates: RatesResource): GetRatesResponseProto {
  return {
    to: rates.to,
    from: rates.from,
    from_number_type: rates.fromNumberType,
    priced: rates.priced,
    reason: rates.reason ?? null,
    country: rates.country,
    card_version: rates.cardVersion,
    currency: rates.currency,
    sms: channelRatesProto(rates.sms),
    mms: channelRatesProto(rates.mms),
  };
}

export function usageProto(report: UsageReport): GetUsageResponseProto {
  return {
    from: toTimestampProto(report.from),
    to: toTimestampProto(report.to),
    group_by: report.groupBy,
    rows: report.rows.map((row) => ({
      key: row.key,
      currency: row.currency,
      count: int64(row.count),
      segments: int64(row.segments),
      amount_micros: int64(row.amount),
      carrier_fees_micros: int64(row.carrierFees),
      lookups: int64(row.lookups),
    })),
  };
}

/** An optional request Timestamp as the REST query's ISO instant, or absent. */
function instantOf(
  timestamp: DecodedListTransactionsRequestProto['from'],
  field: string,
): string | undefined {
  return timestamp ? fromRequestTimestamp(timestamp, field) : undefined;
}

/** textplane.billing.v1.BillingService over the REST reads (same rules, same errors). */
@Controller()
export class BillingGrpcController {
  constructor(@Inject(BILLING_GRPC_API) private readonly billing: BillingReads) {}

  @GrpcMethod(BILLING_SERVICE_NAME, 'GetWallet')
  async getWallet(@GrpcTenant() tenant: AuthenticatedTenant): Promise<GetWalletResponseProto> {
    return { wallet: walletProto(await this.billing.wallet(tenant)) };
  }

  @GrpcMethod(BILLING_SERVICE_NAME, 'ListTransactions')
  async listTransactions(
    @Payload() request: DecodedListTransactionsRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListTransactionsResponseProto> {
    const from = instantOf(request.from, 'from');
    const to = instantOf(request.to, 'to');
    const page = await withFields(() =>
      this.billing.transactions(tenant, {
        limit: pageSizeOf(request.page_size, TRANSACTION_PAGE_SIZE),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
      }),
    );
    return {
      transactions: page.data.map(transactionProto),
      next_page_token: page.nextCursor ?? '',
    };
  }

  @GrpcMethod(BILLING_SERVICE_NAME, 'GetRates')
  async getRates(
    @Payload() request: DecodedGetRatesRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetRatesResponseProto> {
    const rates = await withFields(() =>
      this.billing.rates(tenant, {
        to: request.to,
        ...(request.from !== undefined && request.from !== null ? { from: request.from } : {}),
      }),
    );
    return ratesProto(rates);
  }

  @GrpcMethod(BILLING_SERVICE_NAME, 'GetUsage')
  async getUsage(
    @Payload() request: DecodedGetUsageRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetUsageResponseProto> {
    const from = instantOf(request.from, 'from');
    const to = instantOf(request.to, 'to');
    const report = await withFields(() =>
      this.billing.usage(tenant, {
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(request.group_by !== '' ? { groupBy: request.group_by } : {}),
      }),
    );
    return usageProto(report);
  }
}

@Module({})
class BillingGrpcModule {}

/** The billing context on the gRPC edge. */
export function billingGrpc(protoDir: string, billing: BillingReads): GrpcContext {
  const module: DynamicModule = {
    module: BillingGrpcModule,
    controllers: [BillingGrpcController],
    providers: [{ provide: BILLING_GRPC_API, useValue: billing }],
  };
  return { contract: loadBillingPackage(protoDir), module };
}
