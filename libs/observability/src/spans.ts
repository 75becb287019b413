import {
  context,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

export type SpanKindName = 'server' | 'client' | 'producer' | 'consumer' | 'internal';

export interface SpanOptions {
  kind?: SpanKindName;
  /** W3C traceparent from a carrier (HTTP header, CloudEvent extension): the span's parent. */
  traceparent?: string;
  attributes?: Record<string, string | number | boolean>;
}

const TRACER_NAME = '@textplane/observability';

// Used directly rather than through the global propagator, so traceparent handling does not
// depend on initTelemetry having run (unit tests of other libs, scripts).
const propagator = new W3CTraceContextPropagator();

const traceparentGetter = {
  keys: (carrier: Record<string, string>): string[] => Object.keys(carrier),
  get: (carrier: Record<string, string>, key: string): string | undefined => carrier[key],
};

const traceparentSetter = {
  set: (carrier: Record<string, string>, key: string, value: string): void => {
    carrier[key] = value;
  },
};

/**
 * Runs fn inside a new active span. A given traceparent becomes the parent, so a trace continues
 * across Kafka or HTTP hops; without it the span is a child of the active span (if any).
 * A thrown error is recorded on the span, which gets status ERROR, and is rethrown.
 */
export async function withSpan<T>(
  name: string,
  options: SpanOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const parent = parentContext(options.traceparent);
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(
    name,
    { kind: toSpanKind(options.kind ?? 'internal'), attributes: options.attributes ?? {} },
    parent,
    async (span: Span) => {
      try {
        const result = await fn();
        span.setStatus({ code: SpanStatusCode.OK });
        return result;
      } catch (error: unknown) {
        const exception = error instanceof Error ? error : new Error(String(error));
        span.recordException(exception);
        span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** The W3C traceparent of the active span, to put on an outgoing message; undefined outside a span. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(context.active(), carrier, traceparentSetter);
  return carrier['traceparent'];
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The 32-hex trace id inside a W3C traceparent; throws when the value is not a traceparent. */
export function traceIdOf(traceparent: string): string {
  const match = TRACEPARENT.exec(traceparent.trim().toLowerCase());
  const traceId = match?.[1];
  if (traceId === undefined) throw new Error(`not a W3C traceparent: "${traceparent}"`);
  return traceId;
}

function parentContext(traceparent: string | undefined): Context {
  if (traceparent === undefined) return context.active();
  // A remote parent replaces whatever span is active locally: the message, not the consumer
  // loop, is what the trace follows.
  return propagator.extract(ROOT_CONTEXT, { traceparent }, traceparentGetter);
}

function toSpanKind(kind: SpanKindName): SpanKind {
  switch (kind) {
    case 'server':
      return SpanKind.SERVER;
    case 'client':
      return SpanKind.CLIENT;
    case 'producer':
      return SpanKind.PRODUCER;
    case 'consumer':
      return SpanKind.CONSUMER;
    case 'internal':
      return SpanKind.INTERNAL;
  }
}
