export {
  BUCKETS_PER_WINDOW,
  bucketMsOf,
  countedMessage,
  numberTypeOf,
  slotOf,
  throughputCostOf,
  throughputFactsOf,
  ThroughputFactsError,
  type AccountScope,
  type CountedMessage,
  type CountSlot,
  type LimitCounter,
  type SenderThroughputClass,
  type ThroughputFacts,
  type ThroughputFactsResult,
} from './throughput-counters.js';
export {
  THROUGHPUT_GATE_NAME,
  throughputGateAnswer,
  type ThroughputGateAnswer,
} from './throughput-gate.js';
export { ThroughputLedger, type ThroughputLedgerOptions } from './throughput-ledger.js';
