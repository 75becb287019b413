import { describe, expect, it } from 'vitest';
import type { TenantRequest } from '../http/request-context.js';
import { ApiError } from '../problems/api-error.js';
import type { ConversationApi, ConversationListQuery } from './conversations.application.js';
import { ConversationsController } from './conversations.controller.js';

const request = { tenant: { tenantId: 'tenant-1', keyId: 'key-1' } } as unknown as TenantRequest;

function controllerRecording(): {
  controller: ConversationsController;
  asked: ConversationListQuery[];
} {
  const asked: ConversationListQuery[] = [];
  const api: ConversationApi = {
    list: (_tenant, query) => {
      asked.push(query);
      return Promise.resolve({ items: [], nextCursor: null });
    },
    markRead: () => Promise.reject(new Error('not called')),
    watch: () => () => undefined,
  };
  return { controller: new ConversationsController(api), asked };
}

describe('GET /v1/conversations query', () => {
  it('passes limit, cursor and unread on, with the default page size', async () => {
    const { controller, asked } = controllerRecording();
    await controller.list(request, {});
    await controller.list(request, { limit: '2', cursor: 'abc', unread: 'true' });
    await controller.list(request, { unread: 'false' });
    expect(asked).toEqual([
      { limit: 50 },
      { limit: 2, cursor: 'abc', unread: true },
      { limit: 50, unread: false },
    ]);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ limit: '-1' }, 'limit'],
    [{ unread: 'yes' }, 'unread'],
    [{ unread: ['true', 'false'] }, 'unread'],
    [{ cursor: ['a', 'b'] }, 'cursor'],
    [{ status: 'received' }, 'status'],
  ])('refuses %j with 400 naming %s, asking nothing', async (query, field) => {
    const { controller, asked } = controllerRecording();
    let error: unknown;
    try {
      await controller.list(request, query);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('invalid_request');
    expect((error as ApiError).violations.map((v) => v.field)).toEqual([field]);
    expect(asked).toEqual([]);
  });
});
