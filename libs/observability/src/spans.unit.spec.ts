import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTraceparent, traceIdOf, withSpan } from './spans.js';
import { initTelemetry, type Telemetry } from './telemetry.js';

let telemetry: Telemetry;

beforeAll(() => {
  telemetry = initTelemetry({ serviceName: 'spans-test', inMemory: true });
});

afterAll(async () => {
  await telemetry.shutdown();
});

describe('trace propagation across a hop', () => {
  it('given a producer span, when a consumer continues from its traceparent, then same trace, new span', async () => {
    const sent = await withSpan('publish', { kind: 'producer' }, () =>
      Promise.resolve(currentTraceparent()),
    );
    expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    if (sent === undefined) throw new Error('no traceparent inside a span');

    // The consumer runs outside the producer's async context, as after a Kafka hop.
    const received = await withSpan('consume', { kind: 'consumer', traceparent: sent }, () =>
      Promise.resolve(currentTraceparent()),
    );
    if (received === undefined) throw new Error('no traceparent inside the consumer span');

    expect(traceIdOf(received)).toBe(traceIdOf(sent));
    expect(received.split('-')[2]).not.toBe(sent.split('-')[2]);

    const consumer = telemetry.finishedSpans().find((span) => span.name === 'consume');
    expect(consumer?.kind).toBe(SpanKind.CONSUMER);
    expect(consumer?.parentSpanContext?.spanId).toBe(sent.split('-')[2]);
    expect(consumer?.resource.attributes['service.name']).toBe('spans-test');
  });

  it('given nested spans without a traceparent, then the inner span is a child of the outer one', async () => {
    const [outer, inner] = await withSpan('outer', {}, async () => [
      currentTraceparent(),
      await withSpan('inner', {}, () => Promise.resolve(currentTraceparent())),
    ]);
    expect(outer && traceIdOf(outer)).toBe(inner && traceIdOf(inner));
    expect(outer).not.toBe(inner);
  });

  it('given no active span, then there is no traceparent', () => {
    expect(currentTraceparent()).toBeUndefined();
  });
});

describe('withSpan outcome', () => {
  it('given fn throws, then the exception is recorded, status is ERROR and the error is rethrown', async () => {
    const name = `failing-${crypto.randomUUID()}`;
    await expect(
      withSpan(name, { attributes: { 'message.id': 'm-1' } }, () =>
        Promise.reject(new Error('carrier down')),
      ),
    ).rejects.toThrow('carrier down');

    const span = telemetry.finishedSpans().find((s) => s.name === name);
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'carrier down' });
    expect(span?.events.map((event) => event.name)).toContain('exception');
    expect(span?.attributes['message.id']).toBe('m-1');
  });

  it('given fn resolves, then status is OK and the value is returned', async () => {
    const name = `ok-${crypto.randomUUID()}`;
    await expect(withSpan(name, { kind: 'server' }, () => Promise.resolve(42))).resolves.toBe(42);
    const span = telemetry.finishedSpans().find((s) => s.name === name);
    expect(span?.status.code).toBe(SpanStatusCode.OK);
    expect(span?.kind).toBe(SpanKind.SERVER);
  });
});

describe('initTelemetry', () => {
  it('given a second call, then it returns the telemetry already running', () => {
    expect(initTelemetry({ serviceName: 'other' })).toBe(telemetry);
  });
});

describe('traceIdOf', () => {
  it('given a traceparent, then its trace id', () => {
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it.each(['', 'garbage', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'])(
    'given %j, then it throws',
    (value) => {
      expect(() => traceIdOf(value)).toThrow('not a W3C traceparent');
    },
  );
});
