import 'reflect-metadata';
import { exitOnConfigError } from '@textplane/config';
import { createLogger } from '@textplane/observability';
import { stopOnSignals } from '@textplane/service-runtime';
import { loadRegistrationConfig } from './config.js';
import { RegistrationService } from './registration.service.js';

const config = exitOnConfigError(() => loadRegistrationConfig());
const logger = createLogger('registration', config.LOG_LEVEL);
const service = RegistrationService.create(config, { logger });
stopOnSignals(() => service.stop(), logger);
await service.start().catch((error: unknown) => {
  logger.fatal({ err: error }, 'registration failed to start');
  process.exit(1);
});
