import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import { ConversationGrpcController } from './conversation.grpc-controller.js';
import type { ConversationApi } from './conversations.application.js';

const tenant = { tenantId: 'tenant-1', keyId: 'key-1' };

/** The use cases, refusing as they do for a bad cursor or upTo (REST names). */
const refusing: ConversationApi = {
  list: () =>
    Promise.reject(
      new ApiError('invalid_request', 'invalid_cursor', 'bad cursor', [
        { field: 'cursor', message: 'is not a cursor we issued' },
      ]),
    ),
  markRead: () =>
    Promise.reject(
      new ApiError('unprocessable', 'message_not_in_conversation', 'not of it', [
        { field: 'upTo', message: 'must be the id of a message of this conversation' },
      ]),
    ),
  watch: () => () => undefined,
};

async function fieldsOf(call: () => Promise<unknown>): Promise<string[]> {
  try {
    await call();
  } catch (error) {
    if (error instanceof ApiError) return error.violations.map((v) => v.field);
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('ConversationService refusals name the proto fields', () => {
  const controller = new ConversationGrpcController(refusing);

  it('page_token, page_size, phone and up_to_message_id', async () => {
    expect(
      await fieldsOf(() => controller.listConversations({ page_size: 0, page_token: 'x' }, tenant)),
    ).toEqual(['page_token']);
    expect(
      await fieldsOf(() => controller.listConversations({ page_size: -1, page_token: '' }, tenant)),
    ).toEqual(['page_size']);
    expect(await fieldsOf(() => controller.markConversationRead({ phone: ' ' }, tenant))).toEqual([
      'phone',
    ]);
    expect(
      await fieldsOf(() =>
        controller.markConversationRead({ phone: '+13055550123', up_to_message_id: 'x' }, tenant),
      ),
    ).toEqual(['up_to_message_id']);
  });
});
