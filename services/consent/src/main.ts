import 'reflect-metadata';
import { exitOnConfigError } from '@textplane/config';
import { createLogger } from '@textplane/observability';
import { stopOnSignals } from '@textplane/service-runtime';
import { loadConsentConfig } from './config.js';
import { ConsentService } from './consent.service.js';

const config = exitOnConfigError(() => loadConsentConfig());
const logger = createLogger('consent', config.LOG_LEVEL);
const service = ConsentService.create(config, { logger });
stopOnSignals(() => service.stop(), logger);
await service.start().catch((error: unknown) => {
  logger.fatal({ err: error }, 'consent failed to start');
  process.exit(1);
});
