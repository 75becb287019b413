import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values never reach the logs (API keys, carrier credentials, auth headers). */
const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["telnyx-signature-ed25519"]',
];

/**
 * JSON logs, one object per line, each carrying the service name and, inside a span, the
 * trace_id and span_id of the active span, so a log line leads to its trace.
 * `destination` defaults to stdout; tests pass a stream to read the lines back.
 */
export function createLogger(
  serviceName: string,
  level = 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service: serviceName },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: traceFields,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

function traceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
