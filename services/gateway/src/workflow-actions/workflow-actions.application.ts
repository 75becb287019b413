import { recipientLocale } from '@textplane/compliance';
import type { MessagePurpose, SendTimeWindow } from '@textplane/contracts';
import {
  canonicalTimeZone,
  resolveZone,
  WEEKDAYS,
  type Weekday,
} from '@textplane/delivery-schedule';
import { validateRequest } from '../http/request-validator.js';
import { tenantScope } from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant, SendMessageInput } from '../messages/message.resource.js';
import type { MessagesApplication, SendOutcome } from '../messages/messages.application.js';
import { ApiError } from '../problems/api-error.js';

/** The workflow "Send SMS" action's request, as its schema has validated it. */
export interface SendWorkflowMessageInput {
  workflowId: string;
  runId: string;
  stepId: string;
  contactId: string;
  message: {
    body?: string;
    templateId?: string;
    templateVersion?: number;
    mediaUrls?: string[];
    purpose?: MessagePurpose;
    from?: string;
  };
  timeWindow?: TimeWindowInput;
}

export interface TimeWindowInput {
  days?: Weekday[];
  start: string;
  end: string;
  timeZone: string;
}

/** A validated window: the zone a keyword or a canonical IANA name. */
export interface TimeWindow {
  days: readonly Weekday[];
  start: string;
  end: string;
  timeZone: 'recipient' | 'tenant' | (string & {});
}

/**
 * The window's checks the schema cannot make: `start` before `end`, and a zone that is a keyword
 * or a zone the runtime knows. Every problem at once, each naming its field.
 */
export function parseTimeWindow(input: TimeWindowInput): TimeWindow {
  const violations: { field: string; message: string }[] = [];
  if (input.end <= input.start) {
    violations.push({
      field: 'timeWindow.end',
      message: `must be after start (${input.start}); got ${input.end}`,
    });
  }
  const keyword = input.timeZone === 'recipient' || input.timeZone === 'tenant';
  const zone = keyword ? input.timeZone : canonicalTimeZone(input.timeZone);
  if (zone === undefined) {
    violations.push({
      field: 'timeWindow.timeZone',
      message: 'must be "recipient", "tenant" or an IANA time zone such as America/Chicago',
    });
  }
  if (violations.length > 0 || zone === undefined) {
    throw ApiError.invalid('The time window is not valid', violations);
  }
  const days = input.days ?? WEEKDAYS;
  return {
    days: WEEKDAYS.filter((day) => days.includes(day)),
    start: input.start,
    end: input.end,
    timeZone: zone,
  };
}

/**
 * The window as the message carries it, its zone resolved for this recipient: "recipient" → the
 * contact's zone, else the number's area-code zone, else the tenant's; "tenant" → the tenant's.
 */
export function resolvedTimeWindow(
  window: TimeWindow,
  recipient: { to: string; recipientTimeZone?: string; tenantTimeZone: string },
): SendTimeWindow {
  const timeZone = resolveZone({
    keyword: window.timeZone,
    contactZone: recipient.recipientTimeZone,
    areaCodeZone: recipientLocale({ phone: recipient.to, tenantTimeZone: recipient.tenantTimeZone })
      .timeZone,
    tenantZone: recipient.tenantTimeZone,
  });
  return { days: [...window.days], start: window.start, end: window.end, timeZone };
}

/** The key a step's send is remembered by: ids never hold `/`, so the triple reads back as one. */
export function workflowStepKey(
  input: Pick<SendWorkflowMessageInput, 'workflowId' | 'runId' | 'stepId'>,
): string {
  return `${input.workflowId}/${input.runId}/${input.stepId}`;
}

/**
 * The workflow "Send SMS" action (issue 11 §2): a step's text to one contact through the same
 * send path as POST /v1/messages (rendering, template, refusals, SendRequested), idempotent on
 * (tenant, workflowId, runId, stepId) with no Idempotency-Key: the gateway's idempotency store
 * holds the step under its own route scope, so a step sent twice, even at once, is one text.
 */
export class WorkflowActionsApplication {
  constructor(private readonly messages: MessagesApplication) {}

  async sendStep(tenant: AuthenticatedTenant, rawInput: unknown): Promise<SendOutcome> {
    const input = validateRequest<SendWorkflowMessageInput>('SendWorkflowMessageRequest', rawInput);
    const window = input.timeWindow === undefined ? null : parseTimeWindow(input.timeWindow);
    const { message } = input;
    const send: SendMessageInput = {
      contactId: input.contactId,
      ...(message.body !== undefined ? { body: message.body } : {}),
      ...(message.templateId !== undefined ? { templateId: message.templateId } : {}),
      ...(message.templateVersion !== undefined
        ? { templateVersion: message.templateVersion }
        : {}),
      ...(message.mediaUrls !== undefined ? { mediaUrls: message.mediaUrls } : {}),
      ...(message.from !== undefined ? { from: message.from } : {}),
      purpose: message.purpose ?? 'marketing',
    };
    try {
      return await this.messages.acceptSend(tenant, send, {
        scope: tenantScope(tenant.tenantId, 'POST /v1/workflow-actions/send-sms'),
        key: workflowStepKey(input),
        // The window as given: a retry after it opened is still the same step.
        hashed: { workflowStep: { timeWindow: input.timeWindow ?? null } },
        ...(window ? { timeWindowFor: (recipient) => resolvedTimeWindow(window, recipient) } : {}),
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'idempotency_key_reused') {
        throw new ApiError(
          'unprocessable',
          'workflow_step_reused',
          `Step ${input.stepId} of run ${input.runId} of workflow ${input.workflowId} was already sent with a different request`,
          [{ field: 'stepId', message: 'was already sent with another message or time window' }],
        );
      }
      throw error;
    }
  }
}
