import { runReadModelRebuild } from '@textplane/service-runtime';
import { messagingMigrations } from '../migrations/index.js';
import {
  messagingRebuildTopics,
  rebuildMessagingReadModels,
} from './messaging-read-models.rebuild.js';

/** `node dist/rebuild/main.js <plan.json>`: every messaging read model rebuilt from the plan's events. */
runReadModelRebuild(
  {
    service: 'messaging',
    migrations: messagingMigrations,
    topics: messagingRebuildTopics,
    rebuild: rebuildMessagingReadModels,
  },
  process.argv.slice(2),
);
