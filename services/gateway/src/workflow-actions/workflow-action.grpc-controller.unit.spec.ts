import { describe, expect, it } from 'vitest';
import {
  type DecodedSendWorkflowMessageRequest,
  workflowRequestBody,
} from './workflow-action.grpc-controller.js';

const decoded: DecodedSendWorkflowMessageRequest = {
  workflow_id: 'wf_1',
  run_id: 'run:1',
  step_id: 'step.1',
  contact_id: 'crm:7',
  message: { media_urls: [], purpose: 'MESSAGE_PURPOSE_UNSPECIFIED', body: 'Hi' },
  time_window: null,
};

describe('SendWorkflowMessage as the REST body', () => {
  it('maps the step, leaving out what is unset (purpose: the default, marketing)', () => {
    expect(workflowRequestBody(decoded)).toEqual({
      workflowId: 'wf_1',
      runId: 'run:1',
      stepId: 'step.1',
      contactId: 'crm:7',
      message: { body: 'Hi' },
    });
  });

  it('maps a template, a purpose and a window (no days: every day)', () => {
    expect(
      workflowRequestBody({
        ...decoded,
        message: {
          media_urls: ['https://example.com/a.png'],
          purpose: 'MESSAGE_PURPOSE_TRANSACTIONAL',
          template_id: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c11',
          template_version: 2,
          from: '+13125550100',
        },
        time_window: { days: [], start: '09:00', end: '17:00', time_zone: 'recipient' },
      }),
    ).toEqual({
      workflowId: 'wf_1',
      runId: 'run:1',
      stepId: 'step.1',
      contactId: 'crm:7',
      message: {
        templateId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c11',
        templateVersion: 2,
        mediaUrls: ['https://example.com/a.png'],
        purpose: 'transactional',
        from: '+13125550100',
      },
      timeWindow: { start: '09:00', end: '17:00', timeZone: 'recipient' },
    });
  });

  it('keeps unset ids empty (the schema refuses them by name) and refuses an unknown purpose', () => {
    expect(workflowRequestBody({ ...decoded, step_id: '', message: null })).toEqual({
      workflowId: 'wf_1',
      runId: 'run:1',
      stepId: '',
      contactId: 'crm:7',
    });
    expect(() =>
      workflowRequestBody({ ...decoded, message: { media_urls: [], purpose: 9 } }),
    ).toThrow(
      expect.objectContaining({
        violations: [expect.objectContaining({ field: 'message.purpose' })],
      }),
    );
  });
});
