import {
  commonErrors,
  json,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';

/** The workflow action on REST (issue 11 §2). */
export const workflowActionsOperations: OpenApiOperations = {
  paths: {
    '/v1/workflow-actions/send-sms': {
      post: {
        operationId: 'sendWorkflowSms',
        summary: "A workflow step's text to a contact",
        description:
          'The CRM workflow "Send SMS" action: one text per step, through the same path as ' +
          'POST /v1/messages (the body or template rendered against the contact, the same ' +
          'refusals; purpose defaults to marketing). Idempotent on (workflowId, runId, stepId) ' +
          'without an Idempotency-Key (none is read): the same step with the same request within ' +
          '24 h answers 202 with the first message and the header Idempotent-Replayed: true, and ' +
          'sends nothing more, even when two requests race; the same step with another request ' +
          '(message or timeWindow) is 422 workflow_step_reused. With a timeWindow, a step outside ' +
          'it is `scheduled` with reason `time_window` and sendAt at the next opening, in the ' +
          "window's zone (\"recipient\": the contact's timeZone, else its number's area-code zone, " +
          "else the tenant's); the dispatcher checks the window again whenever the message comes " +
          'due (after a quiet-hours hold, for instance). Mirrored by gRPC ' +
          'WorkflowService.SendWorkflowMessage.',
        requestBody: { required: true, content: json(ref('SendWorkflowMessageRequest')) },
        responses: {
          '202': {
            description:
              'The message (the first answer again on a replay: see Idempotent-Replayed): queued, ' +
              'or scheduled (reason time_window) outside the window',
            headers: {
              Location: { schema: { type: 'string' } },
              'Idempotent-Replayed': { schema: { type: 'string', enum: ['true', 'false'] } },
            },
            content: json(ref('Message')),
          },
          ...commonErrors,
          '400': problem(
            'A field is invalid (see `errors`): an id that does not match ' +
              '^[A-Za-z0-9_.:-]{1,128}$, body and templateId together, an unknown weekday, ' +
              'timeWindow.end not after start, an unknown timeWindow.timeZone',
          ),
          '422': problem(
            'The step was already sent with another request (workflow_step_reused), or the send ' +
              'cannot be applied as on POST /v1/messages (contact_not_found, template_not_found, ' +
              'template_archived, sender_not_owned, missing_merge_value, ...); nothing is recorded',
          ),
        },
      },
    },
  },
  schemas: {},
};
