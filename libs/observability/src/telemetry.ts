import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP collector, e.g. http://127.0.0.1:4318 (the /v1/traces path is added when missing). */
  otlpEndpoint?: string;
  /** Keep finished spans in memory (tests read them with finishedSpans()). */
  inMemory?: boolean;
}

export interface Telemetry {
  readonly serviceName: string;
  /** Spans finished so far; always empty unless initialised with inMemory. */
  finishedSpans(): ReadableSpan[];
  /** Flushes pending spans and unregisters the provider, so a later initTelemetry starts afresh. */
  shutdown(): Promise<void>;
}

let active: Telemetry | undefined;

/**
 * Registers the global tracer provider (AsyncLocalStorage context, W3C TraceContext propagation).
 * Idempotent: a second call returns the telemetry already running, whatever its options, because
 * the OpenTelemetry API accepts one global provider per process.
 */
export function initTelemetry(options: TelemetryOptions): Telemetry {
  if (active !== undefined) return active;

  const memory = options.inMemory === true ? new InMemorySpanExporter() : undefined;
  const spanProcessors: SpanProcessor[] = [];
  if (memory !== undefined) spanProcessors.push(new SimpleSpanProcessor(memory));
  if (options.otlpEndpoint !== undefined) {
    spanProcessors.push(
      new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(options.otlpEndpoint) })),
    );
  }

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors,
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });

  const telemetry: Telemetry = {
    serviceName: options.serviceName,
    finishedSpans: () => memory?.getFinishedSpans() ?? [],
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      if (active === telemetry) active = undefined;
    },
  };
  active = telemetry;
  return telemetry;
}

function tracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}
