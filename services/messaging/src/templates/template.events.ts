import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const templateEventTypes = [
  'messaging.TemplateCreated.v1',
  'messaging.TemplateRevised.v1',
  'messaging.TemplateArchived.v1',
  'messaging.TemplateRequestRejected.v1',
] as const;

export type TemplateEventType = (typeof templateEventTypes)[number];

/** The facts of one template or snippet, as stored in its stream `template-<tenantId>-<templateId>`. */
export type TemplateEvent = WireEventOf<TemplateEventType>;

export const isTemplateEventType = eventTypeGuard(templateEventTypes);

/** One stream per template: the Kafka key, so one template's versions stay in order. */
export function templateStreamId(tenantId: string, templateId: string): string {
  return `template-${tenantId}-${templateId}`;
}

export const TEMPLATE_STREAM_TYPE = 'template';
