import 'reflect-metadata';
import { exitOnConfigError } from '@textplane/config';
import { createLogger } from '@textplane/observability';
import { stopOnSignals } from '@textplane/service-runtime';
import { loadGatewayConfig } from './config.js';
import { GatewayService } from './gateway.service.js';

const config = exitOnConfigError(() => loadGatewayConfig());
const logger = createLogger('gateway', config.LOG_LEVEL);
const service = GatewayService.create(config, { logger });
stopOnSignals(() => service.stop(), logger);
await service.start().catch((error: unknown) => {
  logger.fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
});
