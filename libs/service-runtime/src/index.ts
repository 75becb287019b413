export { OPS_REGISTRIES, OpsModule, type OpsRegistries } from './ops.module.js';
export { NestLoggerBridge } from './nest-logger.js';
export { consumerReadiness, dependencyUnavailable } from './dependency-unavailable.js';
export { stopOnSignals } from './shutdown.js';
export {
  type ConsumerSpec,
  EventSourcedRuntime,
  type EventSourcedRuntimeOptions,
} from './event-sourced-runtime.js';
export {
  batchOnceThroughInbox,
  type EventHandlers,
  onceThroughInbox,
  type OnceThroughInboxOptions,
} from './once-through-inbox.js';
export { type RuntimeConfig, runtimeConfigFields, runtimeSettingsOf } from './runtime-config.js';
export { type Clock, systemClock } from './clock.js';
export {
  chunksOf,
  parseRebuildPlan,
  type ReadModelRebuild,
  type RebuildPlan,
  runReadModelRebuild,
  type StoredEnvelope,
} from './read-model-rebuild.js';
