import { projectionSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import {
  type ConversationEvent,
  type ConversationRow,
  evolveConversationRow,
} from './conversation-row.js';

const given = projectionSpecification(evolveConversationRow);
const tenantId = '0193a0f0-0000-7000-8000-0000000000aa';
const PHONE = '+13055550123';
const MAIN = '+18885550100';
const SECOND = '+18885550199';
const id = (n: number) => `0193a0f0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const at = (second: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, second)).toISOString();

function inbound(n: number, second: number, to = MAIN, body = `inbound ${n}`): ConversationEvent {
  return {
    type: 'messaging.InboundMessageReceived.v1',
    data: {
      messageId: id(n),
      tenantId,
      direction: 'inbound',
      from: PHONE,
      to,
      body,
      mediaUrls: [],
      encoding: 'GSM-7',
      segments: 1,
      carrierMessageId: `carrier-${n}`,
      receivedAt: at(second),
    },
  };
}

function queued(n: number, second: number, from = MAIN): ConversationEvent {
  return {
    type: 'messaging.MessageQueued.v1',
    data: {
      messageId: id(n),
      tenantId,
      direction: 'outbound',
      to: PHONE,
      from,
      body: `outbound ${n}`,
      mediaUrls: [],
      purpose: 'conversational',
      encoding: 'GSM-7',
      segments: 1,
      queuedAt: at(second),
    },
  };
}

function delivered(n: number, second: number): ConversationEvent {
  return {
    type: 'messaging.MessageDelivered.v1',
    data: { messageId: id(n), tenantId, carrierMessageId: `carrier-${n}`, deliveredAt: at(second) },
  };
}

function read(upTo: number, upToSecond: number, readSecond: number): ConversationEvent {
  return {
    type: 'gateway.ConversationRead.v1',
    data: {
      tenantId,
      phone: PHONE,
      upToMessageId: id(upTo),
      upToAt: at(upToSecond),
      readAt: at(readSecond),
    },
  };
}

function fold(events: readonly ConversationEvent[]): ConversationRow | null {
  return events.reduce<ConversationRow | null>((row, e) => evolveConversationRow(row, e), null);
}

/** What the list shows of a row: the fields a test reads. */
function summary(row: ConversationRow | null) {
  if (row === null) return null;
  return {
    sender: row.sender_number,
    last: row.last_message_id,
    status: row.last_message.status,
    activity: row.last_activity_at,
    unread: row.unread_count,
    unreadIds: row.unread.map((u) => u.id),
    mark: row.read_up_to_id,
    lastReadAt: row.last_read_at,
  };
}

describe('evolveConversationRow', () => {
  it('given an inbound message, then one unread conversation on the number it was sent to', () => {
    const row = fold([inbound(1, 0)]);
    given([inbound(1, 0)]).then(row);
    expect(summary(row)).toEqual({
      sender: MAIN,
      last: id(1),
      status: 'received',
      activity: at(0),
      unread: 1,
      unreadIds: [id(1)],
      mark: null,
      lastReadAt: null,
    });
    expect(row?.phone).toBe(PHONE);
  });

  it('given an outbound message, then nothing unread and its sender; its delivery shows on the conversation', () => {
    expect(summary(fold([queued(1, 0, SECOND)]))).toMatchObject({
      sender: SECOND,
      status: 'queued',
      unread: 0,
    });
    expect(summary(fold([queued(1, 0), delivered(1, 3)]))?.status).toBe('delivered');
  });

  it('a change of a message that is no longer the latest changes nothing', () => {
    const before = fold([queued(1, 0), inbound(2, 5)]);
    expect(evolveConversationRow(before, delivered(1, 6))).toBe(before);
  });

  it('the latest message is the newest by time whatever the arrival order, and gives the sender number', () => {
    const newestLast = fold([queued(1, 0, MAIN), inbound(2, 5, SECOND)]);
    const newestFirst = fold([inbound(2, 5, SECOND), queued(1, 0, MAIN)]);
    expect(newestFirst).toEqual(newestLast);
    expect(summary(newestLast)).toMatchObject({ last: id(2), sender: SECOND, activity: at(5) });
  });

  it('counts each inbound message once, however often it is delivered', () => {
    const row = fold([inbound(1, 0), inbound(2, 1)]);
    expect(evolveConversationRow(row, inbound(2, 1))).toBe(row);
    expect(row?.unread_count).toBe(2);
  });

  it('a read mark on the latest message clears the count; a later inbound message is unread again', () => {
    const marked = fold([inbound(1, 0), inbound(2, 1), read(2, 1, 10)]);
    expect(summary(marked)).toMatchObject({
      unread: 0,
      unreadIds: [],
      mark: id(2),
      lastReadAt: at(10),
    });
    expect(summary(evolveConversationRow(marked, inbound(3, 20)))).toMatchObject({
      unread: 1,
      unreadIds: [id(3)],
    });
  });

  it('a mark up to an earlier message leaves the inbound messages after it unread', () => {
    expect(
      summary(fold([inbound(1, 0), queued(2, 1), inbound(3, 2), inbound(4, 3), read(3, 2, 10)])),
    ).toMatchObject({ unread: 1, unreadIds: [id(4)], mark: id(3), last: id(4) });
  });

  it('an inbound message at or before the mark, arriving after it, is read', () => {
    const row = fold([inbound(2, 5), read(2, 5, 10), inbound(1, 4)]);
    expect(summary(row)).toMatchObject({ unread: 0, last: id(2) });
    // The marked message itself, delivered again after the mark, stays read.
    expect(evolveConversationRow(row, inbound(2, 5))).toBe(row);
  });

  it('the mark never moves back; the same mark again only records a later read time', () => {
    const marked = fold([inbound(1, 0), inbound(2, 1), read(2, 1, 10)]);
    expect(evolveConversationRow(marked, read(1, 0, 20))).toBe(marked);
    expect(evolveConversationRow(marked, read(2, 1, 10))).toBe(marked);
    expect(summary(evolveConversationRow(marked, read(2, 1, 30)))).toMatchObject({
      mark: id(2),
      lastReadAt: at(30),
      unread: 0,
    });
  });

  it('a read mark without a conversation records nothing; a refusal changes nothing', () => {
    given([read(1, 0, 1)]).then(null);
    const row = fold([queued(1, 0)]);
    const rejected: ConversationEvent = {
      type: 'messaging.MessageCancelRejected.v1',
      data: { messageId: id(1), tenantId, status: 'sent', requestedAt: at(2), rejectedAt: at(3) },
    };
    expect(evolveConversationRow(row, rejected)).toBe(row);
  });

  it('the messages in any order, then the marks, give the same row (a rebuild equals the live run)', () => {
    const messages = [inbound(1, 0), queued(2, 1), inbound(3, 2), delivered(2, 3), inbound(4, 4)];
    const marks = [read(1, 0, 10), read(3, 2, 11)];
    const expected = fold([...messages, ...marks]);
    const orders = [
      [...messages].reverse(),
      [messages[2], messages[0], messages[4], messages[1], messages[3]],
    ] as ConversationEvent[][];
    for (const order of orders) expect(fold([...order, ...marks])).toEqual(expected);
    // Live, the marks came between the messages: the same row.
    expect(
      fold([
        messages[0]!,
        marks[0]!,
        messages[1]!,
        messages[2]!,
        marks[1]!,
        messages[3]!,
        messages[4]!,
      ]),
    ).toEqual(expected);
    expect(summary(expected)).toMatchObject({ unread: 1, unreadIds: [id(4)], last: id(4) });
  });
});
