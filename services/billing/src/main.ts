import 'reflect-metadata';
import { exitOnConfigError } from '@textplane/config';
import { createLogger } from '@textplane/observability';
import { stopOnSignals } from '@textplane/service-runtime';
import { BillingService } from './billing.service.js';
import { loadBillingConfig } from './config.js';

const config = exitOnConfigError(() => loadBillingConfig());
const logger = createLogger('billing', config.LOG_LEVEL);
const service = BillingService.create(config, { logger });
stopOnSignals(() => service.stop(), logger);
await service.start().catch((error: unknown) => {
  logger.fatal({ err: error }, 'billing failed to start');
  process.exit(1);
});
