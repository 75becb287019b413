import { loadCarrierSimConfig } from './config.js';
import { startCarrierSim } from './server.js';

const config = loadCarrierSimConfig();
const sim = await startCarrierSim(config);

process.stdout.write(
  [
    `carrier-sim listening on ${sim.url} (Telnyx base URL ${sim.url}/v2)`,
    `carrier-sim webhook public key (TELNYX_PUBLIC_KEY): ${sim.publicKey}`,
    `carrier-sim sender numbers: ${config.acceptAnyFrom ? 'any' : config.numbers.join(', ')}`,
    `carrier-sim profile webhook URL: ${config.webhookUrl}`,
    '',
  ].join('\n'),
);

function shutdown(): void {
  sim.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
