// Readiness probe used by deploy/kafka/kafka.sh: `node kafka-probe.ts <brokers> <timeoutMs>`.
// It is run by Node's type stripping without a build, so it has no relative imports and
// takes everything from argv (only config.ts reads the environment).
import { Kafka, logLevel } from 'kafkajs';

interface ProbeResult {
  readonly clusterId: string;
  readonly brokers: readonly string[];
}

async function describeOnce(brokers: readonly string[]): Promise<ProbeResult> {
  const admin = new Kafka({
    clientId: 'textplane-kafka-probe',
    brokers: [...brokers],
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('metadata lists no broker yet');
    return {
      clusterId: cluster.clusterId,
      brokers: cluster.brokers.map((b) => `${b.host}:${b.port}`),
    };
  } finally {
    await admin.disconnect();
  }
}

async function probe(brokers: readonly string[], timeoutMs: number): Promise<ProbeResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await describeOnce(brokers);
    } catch (error: unknown) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const [brokerList = '', timeoutArg = '30000'] = process.argv.slice(2);
const brokers = brokerList.split(',').filter((b) => b.length > 0);
const timeoutMs = Number(timeoutArg);
if (brokers.length === 0 || !Number.isFinite(timeoutMs)) {
  console.error('usage: node kafka-probe.ts <host:port,...> <timeoutMs>');
  process.exit(2);
}
try {
  const result = await probe(brokers, timeoutMs);
  console.log(`cluster ${result.clusterId}, brokers ${result.brokers.join(',')}`);
} catch (error: unknown) {
  console.error(
    `metadata request failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
