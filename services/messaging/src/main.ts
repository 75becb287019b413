import 'reflect-metadata';
import { exitOnConfigError } from '@textplane/config';
import { createLogger } from '@textplane/observability';
import { stopOnSignals } from '@textplane/service-runtime';
import { loadMessagingConfig } from './config.js';
import { MessagingService } from './messaging.service.js';

const config = exitOnConfigError(() => loadMessagingConfig());
const logger = createLogger('messaging', config.LOG_LEVEL);
const service = MessagingService.create(config, { logger });
stopOnSignals(() => service.stop(), logger);
await service.start().catch((error: unknown) => {
  logger.fatal({ err: error }, 'messaging failed to start');
  process.exit(1);
});
