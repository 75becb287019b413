import { runReadModelRebuild } from '@textplane/service-runtime';
import { consentMigrations } from '../migrations/index.js';
import { consentRebuildTopics, rebuildConsentReadModels } from './consent-read-models.rebuild.js';

/** `node dist/rebuild/main.js <plan.json>`: every consent read model rebuilt from the plan's events. */
runReadModelRebuild(
  {
    service: 'consent',
    migrations: consentMigrations,
    topics: consentRebuildTopics,
    rebuild: rebuildConsentReadModels,
  },
  process.argv.slice(2),
);
