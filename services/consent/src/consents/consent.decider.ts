import {
  type ConsentStanding,
  evolveConsentStanding,
  isOptedOut,
  noConsent,
} from '@textplane/compliance';
import type { AutoReplyKind, CausingMessage } from '@textplane/contracts';
import { v5 as uuidv5 } from 'uuid';
import type { ConsentCommand, InboundReply } from './consent.commands.js';
import type { ConsentEvent } from './consent.events.js';
import type { ReplyTexts } from './auto-replies/reply-texts.js';

/** A reply an agent has to read before the ledger says whether it revoked. */
export interface OpenReview {
  reviewId: string;
  message: CausingMessage;
  /** The tenant number the reply was sent to (absent on reviews recorded without it). */
  to: string | null;
}

export interface ConsentLedgerState {
  standing: ConsentStanding;
  openReviews: ReadonlyMap<string, OpenReview>;
  /** The person was told of the opt-out now in force: a further STOP gets no second text. */
  optOutConfirmed: boolean;
  /** Inbound message ids and API request ids already on the ledger: a repeat adds nothing. */
  recorded: ReadonlySet<string>;
  /**
   * When the person sent the latest opt-out (keyword or free-text revocation) and the latest
   * opt-in on the ledger, in epoch ms. Texts from one phone reach the ledger keyed by message,
   * so they can be handled out of the order they were sent in: the person's latest word decides.
   */
  latestOptOutSentAt: number | null;
  latestOptInSentAt: number | null;
}

export const initialState: ConsentLedgerState = {
  standing: noConsent,
  openReviews: new Map(),
  optOutConfirmed: false,
  recorded: new Set(),
  latestOptOutSentAt: null,
  latestOptInSentAt: null,
};

/** Fixed forever: reply ids derived in it must come out the same on every rebuild of a ledger. */
const AUTO_REPLY_NAMESPACE = '3c9a7f52-8e4d-4b61-a0f2-5d17c6e9b834';
/** Review ids derive from the reply's message id, so one reply never opens two reviews. */
const REVIEW_NAMESPACE = 'b4e0d6a1-72c9-4f3b-9a85-e1c2f7d40b69';

/** One reply id per (inbound message, kind): messaging uses it as the message id, so it sends once. */
export function autoReplyId(inboundMessageId: string, kind: AutoReplyKind): string {
  return uuidv5(`${inboundMessageId}:${kind}`, AUTO_REPLY_NAMESPACE);
}

export function reviewIdOf(inboundMessageId: string): string {
  return uuidv5(inboundMessageId, REVIEW_NAMESPACE);
}

export function isOptedOutEverywhere(standing: ConsentStanding): boolean {
  return standing.optedOut.sms && standing.optedOut.mms;
}

/** Decides which facts a command adds to one consent ledger. An empty list means "nothing to do". */
export function decide(command: ConsentCommand, state: ConsentLedgerState): ConsentEvent[] {
  switch (command.type) {
    case 'RecordGrant': {
      const r = command.request;
      if (state.recorded.has(r.requestId)) return [];
      return [
        {
          type: 'consent.ConsentGranted.v1',
          data: {
            tenantId: r.tenantId,
            phone: r.phone,
            purpose: r.purpose,
            channel: r.channel,
            evidence: r.evidence,
            requestId: r.requestId,
            grantedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RecordRevocation': {
      const r = command.request;
      if (state.recorded.has(r.requestId)) return [];
      return [
        {
          type: 'consent.ConsentRevoked.v1',
          data: {
            tenantId: r.tenantId,
            phone: r.phone,
            scope: r.scope,
            channel: r.channel,
            method: r.method,
            requestId: r.requestId,
            ...(r.note === undefined ? {} : { note: r.note }),
            revokedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'ChangeDnd': {
      const r = command.request;
      if (state.recorded.has(r.requestId)) return [];
      const subject = { tenantId: r.tenantId, phone: r.phone, channel: r.channel };
      const at = command.now.toISOString();
      return [
        r.dnd
          ? { type: 'consent.DndSet.v1', data: { ...subject, requestId: r.requestId, setAt: at } }
          : {
              type: 'consent.DndCleared.v1',
              data: { ...subject, requestId: r.requestId, clearedAt: at },
            },
      ];
    }
    case 'HandleReply':
      return decideReply(command, state);
    case 'ResolveReview':
      return decideResolution(command, state);
  }
}

function decideReply(
  command: Extract<ConsentCommand, { type: 'HandleReply' }>,
  state: ConsentLedgerState,
): ConsentEvent[] {
  const { reply, intent, texts, tenantId } = command;
  if (state.recorded.has(reply.messageId)) return [];
  const subject = { tenantId, phone: reply.from };
  const message = causingMessage(reply);
  const at = command.now.toISOString();
  const answer = (kind: AutoReplyKind): ConsentEvent =>
    autoReply(subject, reply.to, reply.messageId, kind, texts, at);
  const sentAt = Date.parse(reply.receivedAt);
  switch (intent.kind) {
    case 'none':
      return [];
    case 'opt_out':
    case 'revocation': {
      // Sent before a START already applied: the person's last word was START. Nothing is
      // recorded (a ConsentRevoked would opt them out in every projection of the ledger).
      if (sentBefore(sentAt, state.latestOptInSentAt)) return [];
      const how =
        intent.kind === 'opt_out'
          ? { method: 'keyword' as const, keyword: intent.keyword }
          : {
              method: 'free_text' as const,
              note: `classifier cue "${intent.cue}", confidence ${intent.confidence}`,
            };
      const revoked: ConsentEvent = {
        type: 'consent.ConsentRevoked.v1',
        data: { ...subject, scope: 'all', channel: 'all', ...how, message, revokedAt: at },
      };
      if (isOptedOutEverywhere(state.standing)) {
        // Already out: the standing does not change and one confirmation is enough, but a STOP
        // newer than the one on the ledger is still recorded, so that a START sent before it
        // and handled after it cannot opt the person back in.
        const newest = state.latestOptOutSentAt === null || sentAt > state.latestOptOutSentAt;
        return [
          ...(newest ? [revoked] : []),
          ...(state.optOutConfirmed ? [] : [answer('opt_out_confirmation')]),
        ];
      }
      return [revoked, answer('opt_out_confirmation')];
    }
    case 'possible_revocation': {
      // Nothing left to revoke, or sent before a START already applied: an agent need not read it.
      if (isOptedOutEverywhere(state.standing)) return [];
      if (sentBefore(sentAt, state.latestOptInSentAt)) return [];
      return [
        {
          type: 'consent.RevocationReviewOpened.v1',
          data: {
            reviewId: reviewIdOf(reply.messageId),
            ...subject,
            message,
            to: reply.to,
            confidence: intent.confidence,
            cue: intent.cue,
            openedAt: at,
          },
        },
      ];
    }
    case 'opt_in':
      // START, UNSTOP and YES mean something only after an opt-out, and only when sent after
      // it: a START sent before the latest STOP (or at the same instant) restores nothing.
      if (!isOptedOut(state.standing)) return [];
      if (state.latestOptOutSentAt !== null && !(state.latestOptOutSentAt < sentAt)) return [];
      return [
        {
          type: 'consent.ConsentRestored.v1',
          data: { ...subject, keyword: intent.keyword, message, restoredAt: at },
        },
        answer('opt_in_confirmation'),
      ];
    case 'help':
      // HELP is answered every time, opted out or not.
      return [
        {
          type: 'consent.HelpRequested.v1',
          data: { ...subject, keyword: intent.keyword, message, requestedAt: at },
        },
        answer('help'),
      ];
  }
}

function decideResolution(
  command: Extract<ConsentCommand, { type: 'ResolveReview' }>,
  state: ConsentLedgerState,
): ConsentEvent[] {
  const r = command.request;
  const review = state.openReviews.get(r.reviewId);
  if (!review || state.recorded.has(r.requestId)) return [];
  const subject = { tenantId: r.tenantId, phone: r.phone };
  const at = command.now.toISOString();
  const resolved: ConsentEvent = {
    type: 'consent.RevocationReviewResolved.v1',
    data: {
      reviewId: r.reviewId,
      ...subject,
      decision: r.decision,
      requestId: r.requestId,
      ...(r.resolvedBy === undefined ? {} : { resolvedBy: r.resolvedBy }),
      ...(r.note === undefined ? {} : { note: r.note }),
      resolvedAt: at,
    },
  };
  // Dismissed, or the reply was sent before a START already applied: the person's later word
  // stands, so the decision is recorded and nothing is revoked.
  if (r.decision === 'dismiss') return [resolved];
  if (sentBefore(Date.parse(review.message.receivedAt), state.latestOptInSentAt)) {
    return [resolved];
  }
  const confirmed = isOptedOutEverywhere(state.standing) && state.optOutConfirmed;
  return [
    resolved,
    {
      type: 'consent.ConsentRevoked.v1',
      data: {
        ...subject,
        scope: 'all',
        channel: 'all',
        method: 'free_text',
        message: review.message,
        requestId: r.requestId,
        reviewId: r.reviewId,
        revokedAt: at,
      },
    },
    ...(confirmed
      ? []
      : [
          autoReply(
            subject,
            review.to ?? command.defaultFrom,
            review.message.messageId,
            'opt_out_confirmation',
            command.texts,
            at,
          ),
        ]),
  ];
}

/** `a` was sent strictly before `b`; an unknown instant (null, unparseable) is never before. */
function sentBefore(a: number | null, b: number | null): boolean {
  return a !== null && b !== null && a < b;
}

function latest(current: number | null, receivedAt: string | undefined): number | null {
  if (receivedAt === undefined) return current;
  const sentAt = Date.parse(receivedAt);
  if (Number.isNaN(sentAt)) return current;
  return current === null ? sentAt : Math.max(current, sentAt);
}

function causingMessage(reply: InboundReply): CausingMessage {
  return { messageId: reply.messageId, body: reply.body, receivedAt: reply.receivedAt };
}

const replyBody: Readonly<Record<AutoReplyKind, keyof ReplyTexts>> = {
  opt_out_confirmation: 'optOutConfirmation',
  opt_in_confirmation: 'optInConfirmation',
  help: 'help',
};

function autoReply(
  subject: { tenantId: string; phone: string },
  from: string,
  inReplyTo: string,
  kind: AutoReplyKind,
  texts: ReplyTexts,
  at: string,
): ConsentEvent {
  return {
    type: 'consent.AutoReplyRequested.v1',
    data: {
      replyId: autoReplyId(inReplyTo, kind),
      ...subject,
      from,
      kind,
      body: texts[replyBody[kind]],
      inReplyTo,
      requestedAt: at,
    },
  };
}

/** Folds one fact into the state. */
export function evolve(state: ConsentLedgerState, event: ConsentEvent): ConsentLedgerState {
  const standing = evolveConsentStanding(state.standing, event);
  const next = { ...state, standing, recorded: withIds(state.recorded, idsRecordedBy(event)) };
  switch (event.type) {
    case 'consent.ConsentRevoked.v1': {
      const sent =
        event.data.scope === 'all'
          ? {
              ...next,
              latestOptOutSentAt: latest(state.latestOptOutSentAt, event.data.message?.receivedAt),
            }
          : next;
      // A new opt-out has not been confirmed yet; one that changes nothing keeps its confirmation.
      return event.data.scope === 'all' && !isOptedOutEverywhere(state.standing)
        ? { ...sent, optOutConfirmed: false }
        : sent;
    }
    case 'consent.ConsentRestored.v1':
      return {
        ...next,
        optOutConfirmed: false,
        latestOptInSentAt: latest(state.latestOptInSentAt, event.data.message.receivedAt),
      };
    case 'consent.RevocationReviewOpened.v1': {
      const { reviewId, message, to } = event.data;
      const openReviews = new Map(state.openReviews);
      openReviews.set(reviewId, { reviewId, message, to: to ?? null });
      return { ...next, openReviews };
    }
    case 'consent.RevocationReviewResolved.v1': {
      const openReviews = new Map(state.openReviews);
      openReviews.delete(event.data.reviewId);
      return { ...next, openReviews };
    }
    case 'consent.AutoReplyRequested.v1':
      return event.data.kind === 'opt_out_confirmation' ? { ...next, optOutConfirmed: true } : next;
    case 'consent.ConsentGranted.v1':
    case 'consent.DndSet.v1':
    case 'consent.DndCleared.v1':
    case 'consent.HelpRequested.v1':
      return next;
  }
}

function idsRecordedBy(event: ConsentEvent): Array<string | undefined> {
  switch (event.type) {
    case 'consent.ConsentGranted.v1':
    case 'consent.DndSet.v1':
    case 'consent.DndCleared.v1':
    case 'consent.RevocationReviewResolved.v1':
      return [event.data.requestId];
    case 'consent.ConsentRevoked.v1':
      return [event.data.requestId, event.data.message?.messageId];
    case 'consent.ConsentRestored.v1':
    case 'consent.HelpRequested.v1':
    case 'consent.RevocationReviewOpened.v1':
      return [event.data.message.messageId];
    case 'consent.AutoReplyRequested.v1':
      return [event.data.inReplyTo];
  }
}

function withIds(
  recorded: ReadonlySet<string>,
  ids: Array<string | undefined>,
): ReadonlySet<string> {
  const fresh = ids.filter((id): id is string => id !== undefined && !recorded.has(id));
  return fresh.length === 0 ? recorded : new Set([...recorded, ...fresh]);
}
