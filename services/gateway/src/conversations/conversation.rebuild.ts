import { ConsumerGroups, Topics } from '@textplane/contracts';
import type { Inbox } from '@textplane/event-store';
import { chunksOf, type RebuildPlan } from '@textplane/service-runtime';
import type { DataSource } from 'typeorm';
import { ConversationReadModel } from './conversation-read-model.js';
import { ConversationProjection } from './conversation.projection.js';

const BATCH = 500;

/**
 * The conversations read model from the plan: messaging's messages topic, then the stored read
 * marks (a mark needs its conversation; the rows do not depend on the order of the messages).
 */
export async function rebuildConversations(
  inbox: Inbox,
  target: DataSource,
  plan: Pick<RebuildPlan, 'store' | 'topics'>,
): Promise<void> {
  const readModel = new ConversationReadModel(target);
  const fromMessages = new ConversationProjection(
    inbox,
    ConsumerGroups.gatewayConversationReadModels,
    readModel,
  );
  for (const batch of chunksOf(plan.topics[Topics.messagingMessages] ?? [], BATCH)) {
    await fromMessages.handleBatch(batch);
  }
  const fromReads = new ConversationProjection(
    inbox,
    ConsumerGroups.gatewayConversationReads,
    readModel,
  );
  const reads = plan.store.filter((event) => event.type === 'gateway.ConversationRead.v1');
  for (const batch of chunksOf(reads, BATCH)) await fromReads.handleBatch(batch);
}
