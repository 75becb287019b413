export {
  BUCKETS_PER_WINDOW,
  countedMessage,
  numberTypeOf,
  slotOf,
  throughputCostOf,
  ThroughputFactsError,
  type AccountScope,
  type CountedMessage,
  type CountSlot,
  type LimitCounter,
  type ThroughputFacts,
} from './throughput-counters.js';
export {
  THROUGHPUT_GATE_NAME,
  throughputGateAnswer,
  type ThroughputGateAnswer,
} from './throughput-gate.js';
export { ThroughputLedger, type ThroughputLedgerOptions } from './throughput-ledger.js';
