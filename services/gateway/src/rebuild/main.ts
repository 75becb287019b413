import { runReadModelRebuild } from '@textplane/service-runtime';
import { gatewayMigrations } from '../migrations/index.js';
import { gatewayRebuildTopics, rebuildGatewayReadModels } from './gateway-read-models.rebuild.js';

/** `node dist/rebuild/main.js <plan.json>`: every gateway read model rebuilt from the plan's events. */
runReadModelRebuild(
  {
    service: 'gateway',
    migrations: gatewayMigrations,
    topics: gatewayRebuildTopics,
    rebuild: rebuildGatewayReadModels,
  },
  process.argv.slice(2),
);
