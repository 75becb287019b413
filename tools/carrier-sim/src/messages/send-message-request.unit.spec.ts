import { describe, expect, it } from 'vitest';
import { parseSendMessageRequest } from './send-message-request.js';

const account = { numbers: new Set(['+15555550100', '+15555550101']), acceptAnyFrom: false };
const valid = { from: '+15555550100', to: '+15555550199', text: 'Hello' };

function errorOf(body: unknown, acct = account) {
  const parsed = parseSendMessageRequest(body, acct);
  if (parsed.ok) throw new Error('expected a refusal');
  return { status: parsed.error.status, ...parsed.error.body.errors[0] };
}

describe('parseSendMessageRequest', () => {
  it('accepts a plain SMS and fills the defaults', () => {
    expect(parseSendMessageRequest(valid, account)).toEqual({
      ok: true,
      request: {
        from: '+15555550100',
        to: '+15555550199',
        text: 'Hello',
        subject: null,
        mediaUrls: [],
        type: 'SMS',
        messagingProfileId: null,
        webhookUrl: null,
        webhookFailoverUrl: null,
        useProfileWebhooks: true,
      },
    });
  });

  it('makes a send with media an MMS, text optional', () => {
    const parsed = parseSendMessageRequest(
      { from: '+15555550100', to: '+15555550199', media_urls: ['https://example.com/a.png'] },
      account,
    );
    expect(parsed.ok && parsed.request.type).toBe('MMS');
  });

  it.each([
    [{ ...valid, to: '5555550199' }, 400, '40310', '/to'],
    [{ ...valid, to: ['+15555550199', '+15555550198'] }, 400, '40310', '/to'],
    [{ ...valid, to: undefined }, 400, '40310', '/to'],
    [{ ...valid, from: '+1 555 555 0100' }, 400, '40305', '/from'],
    [{ ...valid, from: '+15555550999' }, 400, '40305', '/from'],
    [{ ...valid, from: undefined }, 400, '10004', '/from'],
    [{ ...valid, text: '' }, 400, '10004', '/text'],
    [{ ...valid, text: 42 }, 400, '10015', '/text'],
    [{ ...valid, media_urls: ['not a url'] }, 400, '10003', '/media_urls/0'],
    [{ ...valid, webhook_url: 'ftp://example.com' }, 400, '10003', '/webhook_url'],
    [{ ...valid, type: 'FAX' }, 400, '10015', '/type'],
  ])('refuses %j with %i %s at %s', (body, status, code, pointer) => {
    expect(errorOf(body)).toMatchObject({ status, code, source: { pointer } });
  });

  it('accepts any sender number when the account says so', () => {
    const parsed = parseSendMessageRequest(
      { ...valid, from: '+15555550999' },
      { ...account, acceptAnyFrom: true },
    );
    expect(parsed.ok).toBe(true);
  });

  it('picks a pooled sender when only a messaging profile is given', () => {
    const parsed = parseSendMessageRequest(
      { to: '+15555550199', text: 'x', messaging_profile_id: 'profile-1' },
      account,
    );
    expect(parsed.ok && parsed.request.from).toBe('+15555550100');
  });
});
