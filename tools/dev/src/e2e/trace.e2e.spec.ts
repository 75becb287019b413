import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bearer,
  call,
  createTenant,
  eventually,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

interface Recorded {
  type: string;
  traceparent: string | undefined;
}

/** Every event of one message stream on messaging's topic, with its traceparent header. */
async function eventsOfMessage(messageId: string, expectedTypes: number): Promise<Recorded[]> {
  const kafka = new Kafka({
    clientId: 'e2e-trace',
    brokers: stack.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `e2e-trace-${randomBytes(4).toString('hex')}` });
  const found: Recorded[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: 'messaging.messages.events.v1', fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        if (message.headers?.['ce_subject']?.toString() === `message-${messageId}`) {
          found.push({
            type: message.headers['ce_type']?.toString() ?? '',
            traceparent: message.headers['ce_traceparent']?.toString(),
          });
        }
        return Promise.resolve();
      },
    });
    await eventually(() => Promise.resolve(found.length >= expectedTypes ? true : undefined), {
      what: 'the message events on Kafka',
    });
    return found;
  } finally {
    await consumer.disconnect();
  }
}

describe('one trace from REST call to delivery receipt', () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Traced Co');
  });

  it('carries the caller trace id on every event of the message, receipts included', async () => {
    const traceId = randomBytes(16).toString('hex');
    const sent = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: {
        ...bearer(tenant),
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: { to: randomPhone(), body: 'Traced' },
    });
    expect(sent.status).toBe(202);
    await eventually(
      async () => {
        const answer = await call<{ status: string }>(
          `${stack.urls.gatewayHttp}/v1/messages/${sent.body.id}`,
          {
            headers: bearer(tenant),
          },
        );
        return answer.body.status === 'delivered' ? true : undefined;
      },
      { what: 'delivery' },
    );

    const events = await eventsOfMessage(sent.body.id, 6);
    expect(events.map((e) => e.type)).toEqual([
      'messaging.MessageQueued.v1',
      // The funds gate asks billing for the hold and waits for its answer.
      'messaging.FundsHoldRequested.v1',
      'messaging.MessageSubmissionStarted.v1',
      'messaging.MessageSubmitted.v1',
      'messaging.MessageSent.v1',
      'messaging.MessageDelivered.v1',
    ]);
    for (const event of events) expect(event.traceparent?.split('-')[1]).toBe(traceId);
  });
});
