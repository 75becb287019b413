export { initTelemetry, type Telemetry, type TelemetryOptions } from './telemetry.js';
export {
  currentTraceparent,
  traceIdOf,
  withSpan,
  type SpanKindName,
  type SpanOptions,
} from './spans.js';
export { createLogger, type Logger } from './logger.js';
export { MetricsRegistry } from './metrics.js';
export { HealthRegistry, type Readiness, type ReadinessCheck } from './health.js';
export { findInErrorChain, stringProperty } from './error-chain.js';
