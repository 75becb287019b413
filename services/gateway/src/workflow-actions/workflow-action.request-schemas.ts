/** The workflow action's request body (validation and the OpenAPI document). */
import { SendMessageRequestSchema } from '../messages/message.request-schemas.js';

/** A workflow, run or step id, as the CRM's workflow engine names them (issue 11 §2). */
export const WORKFLOW_ID_PATTERN = '^[A-Za-z0-9_.:-]{1,128}$';

const workflowIdPart = (what: string) =>
  ({ type: 'string', pattern: WORKFLOW_ID_PATTERN, description: what }) as const;

const sendFields = SendMessageRequestSchema.properties;

/** The content object of DESIGN.md ("One shape for message content"), marketing by default. */
const message = {
  type: 'object',
  additionalProperties: false,
  properties: {
    body: sendFields.body,
    templateId: sendFields.templateId,
    templateVersion: sendFields.templateVersion,
    mediaUrls: sendFields.mediaUrls,
    purpose: {
      ...sendFields.purpose,
      description: 'Why the message is sent; decides which consent it needs. Default marketing.',
    },
    from: sendFields.from,
  },
  description: 'What to send: body or templateId (never both), as on POST /v1/messages',
} as const;

const timeWindow = {
  type: 'object',
  additionalProperties: false,
  required: ['start', 'end', 'timeZone'],
  properties: {
    days: {
      type: 'array',
      minItems: 1,
      maxItems: 7,
      uniqueItems: true,
      items: { enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
      description: 'The weekdays the step may send on; default every day',
    },
    start: {
      type: 'string',
      pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
      description: 'Local opening time, HH:MM (00:00–23:59)',
    },
    end: {
      type: 'string',
      pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
      description:
        'Local closing time, HH:MM up to 24:00, after start (the window is start ≤ t < end)',
    },
    timeZone: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description:
        "\"recipient\" (the contact's zone, else its number's area-code zone, else the tenant's), " +
        '"tenant", or an IANA zone',
    },
  },
  description:
    'When the step may send. Outside it the message is scheduled (reason time_window) at the ' +
    'next opening',
} as const;

export const SendWorkflowMessageRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['workflowId', 'runId', 'stepId', 'contactId', 'message'],
  properties: {
    workflowId: workflowIdPart('The workflow the step belongs to'),
    runId: workflowIdPart('The run of the workflow'),
    stepId: workflowIdPart(
      'The step; (workflowId, runId, stepId) makes the request idempotent without an Idempotency-Key',
    ),
    contactId: sendFields.contactId,
    message,
    timeWindow,
  },
} as const;
