import { ConsumerGroups, Topics } from '@textplane/contracts';
import type { Inbox } from '@textplane/event-store';
import type { ConsumerSpec } from '@textplane/service-runtime';
import type { DataSource } from 'typeorm';
import { NumberLookupProjection } from './number-lookup.projection.js';
import { NUMBER_LOOKUP_EVENT_TYPES } from './number-lookup-record.js';
import { NumberLookupQueries } from './number-lookups.application.js';

/**
 * The gateway's number-lookup context, assembled: the queries behind `GET
 * /v1/numbers/{phone}/lookup` and the consumer that projects messaging's lookup facts into
 * `number_lookups` (group gateway.number-lookup-read-models).
 */
export function numberLookupsContext(
  inbox: Inbox,
  dataSource: DataSource,
): { queries: NumberLookupQueries; consumer: ConsumerSpec } {
  const projection = new NumberLookupProjection(
    inbox,
    ConsumerGroups.gatewayNumberLookupReadModels,
  );
  return {
    queries: new NumberLookupQueries(dataSource),
    consumer: {
      groupId: ConsumerGroups.gatewayNumberLookupReadModels,
      topic: Topics.messagingNumberLookups,
      handle: (event) => projection.handle(event),
      handleBatch: (events) => projection.handleBatch(events),
      eventTypes: NUMBER_LOOKUP_EVENT_TYPES,
    },
  };
}
