import { createServer, type Server } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaUnavailable } from './kafka-unavailable.js';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A client that gives up quickly, so each case takes well under a second. */
function kafkaAt(port: number): Kafka {
  return new Kafka({
    clientId: 'kafka-unavailable-int-test',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 300,
    retry: { retries: 2, initialRetryTime: 20, maxRetryTime: 50 },
  });
}

async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('kafkaUnavailable, on errors kafkajs raises against a broker that is down', () => {
  const servers: Server[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });

  it('given nothing listening (a killed broker), then unavailable after kafkajs exhausts its retries', async () => {
    const server = createServer();
    const port = await listen(server);
    await close(server);
    const producer = kafkaAt(port).producer();
    const error = await rejectionOf(producer.connect());
    expect(error).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded' });
    expect(kafkaUnavailable(error)).toEqual({
      dependency: 'kafka',
      reason: `KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('given a broker that drops every connection (shutting down), then unavailable', async () => {
    const server = createServer((socket) => socket.destroy());
    servers.push(server);
    const port = await listen(server);
    const admin = kafkaAt(port).admin();
    const error = await rejectionOf(admin.connect());
    expect(kafkaUnavailable(error)).toEqual({
      dependency: 'kafka',
      reason: expect.stringMatching(/^KafkaJSConnection(Closed)?Error: /) as string,
    });
  });
});
