import { createHook } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RecordingLogger, TEST_BROKERS } from '../test/kafka-harness.js';
import { createKafka } from './client.js';

const run = promisify(execFile);

describe('createKafka (real Kafka)', () => {
  // Node emits TimeoutNegativeWarning once per process, so this test relies on being the first
  // Kafka connection of its test file's worker. The warning is gone because its cause is: the
  // request queue no longer arms a timer with a negative delay.
  it('connects without the TimeoutNegativeWarning kafkajs triggers on Node 24', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const admin = createKafka({ clientId: 'kafka-lib-int-test', brokers: TEST_BROKERS }).admin();
      await admin.connect();
      await admin.listTopics();
      await admin.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('TimeoutNegativeWarning');
  });

  it('(premise) plain kafkajs does trigger that warning on this Node', async () => {
    const script = `
      const { Kafka, logLevel } = require('kafkajs');
      const admin = new Kafka({ brokers: ${JSON.stringify(TEST_BROKERS)}, logLevel: logLevel.NOTHING }).admin();
      admin.connect().then(() => admin.listTopics()).then(() => admin.disconnect());`;

    const { stderr } = await run(process.execPath, ['-e', script], { cwd: import.meta.dirname });

    expect(stderr).toContain('TimeoutNegativeWarning');
  });

  it('an idle connection does not keep re-arming timers (kafkajs alone: one every 1 ms)', async () => {
    const admin = createKafka({ clientId: 'kafka-lib-int-test', brokers: TEST_BROKERS }).admin();
    await admin.connect();
    await admin.listTopics();
    let timersArmed = 0;
    const hook = createHook({
      init: (_id, type) => {
        if (type === 'Timeout') timersArmed += 1;
      },
    });
    try {
      hook.enable();
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      hook.disable();
      await admin.disconnect();
    }
    // The wait's own timer, and nothing from the idle connection (it had armed about 300).
    expect(timersArmed).toBeLessThan(10);
  });

  it('routes kafkajs warnings to the given logger as JSON-ready objects', () => {
    const logger = new RecordingLogger();
    const kafka = createKafka({ clientId: 'kafka-lib-int-test', brokers: TEST_BROKERS, logger });

    kafka.producer({ idempotent: true, retry: { retries: 1 } });

    expect(logger.entries).toHaveLength(1);
    const [entry] = logger.entries;
    expect(entry?.level).toBe('warn');
    expect(entry?.msg).toBe(
      'Limiting retries for the idempotent producer may invalidate EoS guarantees',
    );
    expect(entry?.obj).toMatchObject({ kafkajs: 'Producer' });
    expect(entry?.obj).toHaveProperty('timestamp');
  });
});
