import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiKeyMetadata } from '../platform/grpc-client.js';
import {
  bearer,
  call,
  carrierReceived,
  createTenant,
  eventually,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

/**
 * Issue 11 §2 and §4: "a workflow step sent twice → one text". The workflow action over the whole
 * stack: the step's triple is its idempotency key (no Idempotency-Key header), so the same step
 * sent again, one after the other or at once, over REST or gRPC, answers the same message and the
 * carrier receives one text; a step outside its time window is scheduled, reason time_window, at
 * the next opening (not waited for).
 */

const stack = inject('stack');
const BRAND = 'Workflow Co';

interface Message {
  id: string;
  status: string;
  to: string;
  contactId: string | null;
  body: string;
  purpose: string;
  reason: string | null;
  sendAt: string | null;
}

interface WorkflowClient extends grpc.Client {
  SendWorkflowMessage(
    request: Record<string, unknown>,
    metadata: grpc.Metadata,
    callback: (
      error: grpc.ServiceError | null,
      response?: { message: { id: string }; replayed: boolean },
    ) => void,
  ): grpc.ClientUnaryCall;
}

function workflowClient(address: string): WorkflowClient {
  const protoDir = fileURLToPath(new URL('../../../../proto', import.meta.url));
  const definition = protoLoader.loadSync('textplane/messaging/v1/workflows.proto', {
    includeDirs: [protoDir],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const root = grpc.loadPackageDefinition(definition) as unknown as {
    textplane: {
      messaging: {
        v1: {
          WorkflowService: new (
            address: string,
            credentials: grpc.ChannelCredentials,
          ) => WorkflowClient;
        };
      };
    };
  };
  return new root.textplane.messaging.v1.WorkflowService(
    address,
    grpc.credentials.createInsecure(),
  );
}

describe('the workflow "Send SMS" action', () => {
  let tenant: TestTenant;
  let grpcClient: WorkflowClient;
  const api = (path: string) => `${stack.urls.gatewayHttp}${path}`;
  const post = (body: unknown) =>
    call<Message>(api('/v1/workflow-actions/send-sms'), {
      method: 'POST',
      headers: bearer(tenant),
      body,
    });

  async function contact(id: string, phone: string): Promise<void> {
    const created = await call(api(`/v1/contacts/${encodeURIComponent(id)}`), {
      method: 'PUT',
      headers: bearer(tenant),
      body: { phone, firstName: 'Ann' },
    });
    expect(created.status).toBe(201);
  }

  beforeAll(async () => {
    tenant = await createTenant(stack, BRAND);
    grpcClient = workflowClient(stack.urls.gatewayGrpc);
  });

  afterAll(() => grpcClient.close());

  it('a step sent twice (again, at once, and over gRPC) is one message and the carrier receives one text', async () => {
    const phone = randomPhone();
    const contactId = `wf-${randomUUID()}`;
    await contact(contactId, phone);
    const step = {
      workflowId: 'wf_onboarding',
      runId: `run:${randomUUID()}`,
      stepId: 'step.1',
      contactId,
      message: { body: 'Welcome aboard, {{ contact.first_name }}!', purpose: 'transactional' },
    };
    const first = await post(step);
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBe('false');
    expect(first.body).toMatchObject({
      to: phone,
      contactId,
      body: 'Welcome aboard, Ann!',
      purpose: 'transactional',
    });
    const again = await Promise.all([post(step), post(step)]);
    for (const answer of again) {
      expect(answer.status).toBe(202);
      expect(answer.headers.get('idempotent-replayed')).toBe('true');
      expect(answer.body.id).toBe(first.body.id);
    }
    const overGrpc = await new Promise<{ message: { id: string }; replayed: boolean }>(
      (resolve, reject) =>
        grpcClient.SendWorkflowMessage(
          {
            workflow_id: step.workflowId,
            run_id: step.runId,
            step_id: step.stepId,
            contact_id: contactId,
            message: { body: step.message.body, purpose: 'MESSAGE_PURPOSE_TRANSACTIONAL' },
          },
          apiKeyMetadata(tenant.apiKey),
          (error, response) =>
            response ? resolve(response) : reject(error ?? new Error('empty response')),
        ),
    );
    expect(overGrpc).toMatchObject({ message: { id: first.body.id }, replayed: true });

    // The same step with another body is refused, and nothing more is sent.
    const reused = await post({ ...step, message: { body: 'Another text' } });
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect((reused.body as unknown as { code: string }).code).toBe('workflow_step_reused');

    await eventually(
      async () => {
        const answer = await call<Message>(api(`/v1/messages/${first.body.id}`), {
          headers: bearer(tenant),
        });
        return answer.body.status === 'delivered' ? answer.body : undefined;
      },
      { what: 'the step message delivered' },
    );
    const received = await carrierReceived(stack, phone);
    expect(received.map((m) => m.text)).toEqual([`${BRAND}: Welcome aboard, Ann!`]);
  });

  it('a step outside its window is scheduled, reason time_window, at the next opening', async () => {
    const phone = randomPhone();
    const contactId = `wf-${randomUUID()}`;
    await contact(contactId, phone);
    // A one-hour UTC window opening two hours from now: closed now, whenever the test runs.
    const now = new Date();
    const startHour = (now.getUTCHours() + 2) % 24;
    const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
    const opening = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), startHour),
    );
    if (opening.getTime() <= now.getTime()) opening.setUTCDate(opening.getUTCDate() + 1);
    const sent = await post({
      workflowId: 'wf_reminders',
      runId: `run:${randomUUID()}`,
      stepId: 'step.2',
      contactId,
      message: { body: 'Your reminder', purpose: 'transactional' },
      timeWindow: {
        start: hh(startHour),
        end: startHour === 23 ? '24:00' : hh(startHour + 1),
        timeZone: 'UTC',
      },
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({
      status: 'scheduled',
      reason: 'time_window',
      sendAt: opening.toISOString(),
    });
    // Messaging's time-window gate holds it for the same opening.
    const held = await eventually(
      async () => {
        const answer = await call<Message & { updatedAt: string; createdAt: string }>(
          api(`/v1/messages/${sent.body.id}`),
          { headers: bearer(tenant) },
        );
        return answer.body.updatedAt !== answer.body.createdAt ? answer.body : undefined;
      },
      { what: "messaging's hold of the step message" },
    );
    expect(held).toMatchObject({
      status: 'scheduled',
      reason: 'time_window',
      sendAt: opening.toISOString(),
    });
  });

  it('refuses ids that break the pattern with a problem naming the field, recording nothing', async () => {
    const answer = await post({
      workflowId: 'wf 1',
      runId: 'run:1',
      stepId: 'step/1',
      contactId: 'nobody',
      message: { body: 'x' },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const fields = (answer.body as unknown as { errors: { field: string }[] }).errors.map(
      (e) => e.field,
    );
    expect(fields.sort()).toEqual(['stepId', 'workflowId']);
  });
});
