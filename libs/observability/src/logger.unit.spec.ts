import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { currentTraceparent, traceIdOf, withSpan } from './spans.js';
import { initTelemetry, type Telemetry } from './telemetry.js';

let telemetry: Telemetry;
beforeAll(() => {
  telemetry = initTelemetry({ serviceName: 'logger-test', inMemory: true });
});
afterAll(async () => {
  await telemetry.shutdown();
});

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger', () => {
  it('given a log inside a span, then the line carries trace_id, span_id and the service', async () => {
    const { stream, lines } = capture();
    const logger = createLogger('gateway', 'info', stream);

    const traceparent = await withSpan('handle', {}, () => {
      logger.info({ messageId: 'm-1' }, 'message queued');
      return Promise.resolve(currentTraceparent());
    });

    const [line] = lines();
    expect(traceparent).toBeDefined();
    expect(line).toMatchObject({
      level: 'info',
      service: 'gateway',
      msg: 'message queued',
      messageId: 'm-1',
      trace_id: traceparent && traceIdOf(traceparent),
      span_id: traceparent?.split('-')[2],
    });
  });

  it('given a log outside any span, then the line has no trace_id', () => {
    const { stream, lines } = capture();
    createLogger('gateway', 'info', stream).info('boot');
    expect(lines()[0]).not.toHaveProperty('trace_id');
  });

  it('given a level of warn, then info lines are dropped', () => {
    const { stream, lines } = capture();
    const logger = createLogger('gateway', 'warn', stream);
    logger.info('hidden');
    logger.warn('shown');
    expect(lines().map((line) => line['msg'])).toEqual(['shown']);
  });

  it('given secrets in the logged object, then they are redacted', () => {
    const { stream, lines } = capture();
    createLogger('gateway', 'info', stream).info(
      { apiKey: 'tp_live_123', req: { headers: { authorization: 'Bearer tp_live_123' } } },
      'request',
    );
    expect(JSON.stringify(lines()[0])).not.toContain('tp_live_123');
  });
});
