/**
 * Replays a consumer group's dead-letter topic onto the original topics:
 *   node dist/dlq-replay.cli.js <group> [--brokers host:port,...] [--limit n]
 * Brokers default to KAFKA_BROKERS, then the local broker. Prints the count as JSON.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '@textplane/observability';
import { createKafka } from './client.js';
import { loadKafkaEnvironment, parseBrokers } from './config.js';
import { replayDlq } from './dlq-replay.js';

const USAGE = 'usage: dlq-replay <group> [--brokers host:port,...] [--limit n]';

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { brokers: { type: 'string' }, limit: { type: 'string' } },
  });
  const [groupId, ...extra] = positionals;
  if (groupId === undefined || extra.length > 0) throw new Error(USAGE);
  const brokers =
    values.brokers === undefined
      ? [...loadKafkaEnvironment().brokers]
      : parseBrokers(values.brokers, '--brokers');
  const limit = values.limit === undefined ? undefined : parseLimit(values.limit);

  const logger = createLogger('dlq-replay', 'warn');
  const kafka = createKafka({ clientId: 'textplane-dlq-replay', brokers, logger });
  const { replayed } = await replayDlq(kafka, groupId, {
    ...(limit === undefined ? {} : { limit }),
    logger,
  });
  process.stdout.write(`${JSON.stringify({ groupId, replayed })}\n`);
}

function parseLimit(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new Error(`--limit must be a non-negative integer (got "${raw}")`);
  return Number(raw);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
