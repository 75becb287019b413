import { projectionSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import type { CustomValueEvent } from '../custom-values/custom-value.events.js';
import type { TemplateEvent } from '../templates/template.events.js';
import { evolveBulkSendRun, recipientRowsOf } from './bulk-send-run.projection.js';
import type { BulkSendEvent } from './bulk-send.events.js';
import { evolveCustomValue, templateVersionOf } from './template-lookup.projection.js';

const bulkSendId = '5f0c7e1a-3b6d-4c2e-9a8f-1d2e3f4a5b6c';
const tenantId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const at = (minute: number) => `2026-12-01T15:${String(minute).padStart(2, '0')}:00.000Z`;

const created: BulkSendEvent = {
  type: 'messaging.BulkSendCreated.v1',
  data: {
    bulkSendId,
    tenantId,
    message: { body: 'Hi', mediaUrls: [], purpose: 'marketing' },
    delivery: { mode: 'now' },
    recipients: 3,
    sendable: 2,
    batches: 2,
    chunks: 1,
    createdAt: at(0),
  },
};
const frozen: BulkSendEvent = {
  type: 'messaging.BulkSendRecipientsFrozen.v1',
  data: {
    bulkSendId,
    tenantId,
    chunk: 0,
    recipients: [
      { position: 0, contactId: 'a', phone: '+15550000001', batch: 0 },
      { position: 1, contactId: 'b', phone: '+15550000002', batch: 1, sendAt: at(30) },
      {
        position: 2,
        contactId: 'c',
        phone: '+15550000001',
        batch: null,
        skipped: 'duplicate_phone',
      },
    ],
    firstBatchAt: at(0),
  },
};
const released = (batch: number, nextBatchAt: string | null, minute: number): BulkSendEvent => ({
  type: 'messaging.BulkSendBatchReleased.v1',
  data: {
    bulkSendId,
    tenantId,
    batch,
    queued: 1,
    skipped: [],
    releasedAt: at(minute),
    nextBatchAt,
  },
});

const run = projectionSpecification(evolveBulkSendRun);
const base = { bulk_send_id: bulkSendId, tenant_id: tenantId, batches: 2 };

describe('bulk_send_runs (evolveBulkSendRun)', () => {
  it('collecting until the last chunk, then scheduled at the first batch time', () => {
    run([created]).then({
      ...base,
      status: 'collecting',
      next_batch: 0,
      next_batch_at: null,
      updated_at: at(0),
    });
    run([created, frozen]).then({
      ...base,
      status: 'scheduled',
      next_batch: 0,
      next_batch_at: at(0),
      updated_at: at(0),
    });
  });

  it('each release moves the next batch; paused and resumed keep it; completed is not due', () => {
    run([created, frozen, released(0, at(1), 1)]).then({
      ...base,
      status: 'running',
      next_batch: 1,
      next_batch_at: at(1),
      updated_at: at(1),
    });
    const paused: BulkSendEvent = {
      type: 'messaging.BulkSendPaused.v1',
      data: { bulkSendId, tenantId, reason: 'user', pausedAt: at(2) },
    };
    const resumed: BulkSendEvent = {
      type: 'messaging.BulkSendResumed.v1',
      data: { bulkSendId, tenantId, resumedAt: at(3), nextBatchAt: at(3) },
    };
    run([created, frozen, released(0, at(1), 1), paused]).then({
      ...base,
      status: 'paused',
      next_batch: 1,
      next_batch_at: at(1),
      updated_at: at(2),
    });
    run([created, frozen, released(0, at(1), 1), paused, resumed]).then({
      ...base,
      status: 'running',
      next_batch: 1,
      next_batch_at: at(3),
      updated_at: at(3),
    });
    run([
      created,
      frozen,
      released(0, at(1), 1),
      released(1, null, 4),
      {
        type: 'messaging.BulkSendCompleted.v1',
        data: { bulkSendId, tenantId, completedAt: at(4) },
      },
    ]).then({
      ...base,
      status: 'completed',
      next_batch: 2,
      next_batch_at: null,
      updated_at: at(4),
    });
  });

  it('a rejected request changes nothing; canceled is not due', () => {
    const rejected: BulkSendEvent = {
      type: 'messaging.BulkSendRequestRejected.v1',
      data: { bulkSendId, tenantId, request: 'resume', state: 'scheduled', rejectedAt: at(5) },
    };
    const canceled: BulkSendEvent = {
      type: 'messaging.BulkSendCanceled.v1',
      data: { bulkSendId, tenantId, canceledAt: at(6) },
    };
    run([created, frozen, rejected, canceled]).then({
      ...base,
      status: 'canceled',
      next_batch: 0,
      next_batch_at: null,
      updated_at: at(6),
    });
  });
});

describe('bulk_send_recipients (recipientRowsOf)', () => {
  it('one row per frozen recipient, skipped ones included; no other event adds rows', () => {
    expect(recipientRowsOf(frozen)).toEqual([
      {
        bulk_send_id: bulkSendId,
        position: 0,
        contact_id: 'a',
        phone: '+15550000001',
        batch: 0,
        send_at: null,
        skipped: null,
      },
      {
        bulk_send_id: bulkSendId,
        position: 1,
        contact_id: 'b',
        phone: '+15550000002',
        batch: 1,
        send_at: at(30),
        skipped: null,
      },
      {
        bulk_send_id: bulkSendId,
        position: 2,
        contact_id: 'c',
        phone: '+15550000001',
        batch: null,
        send_at: null,
        skipped: 'duplicate_phone',
      },
    ]);
    expect(recipientRowsOf(created)).toEqual([]);
  });
});

describe('template_versions and custom_values', () => {
  const templateId = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
  it('every created or revised version is a row; archival adds none', () => {
    const revised: TemplateEvent = {
      type: 'messaging.TemplateRevised.v1',
      data: {
        tenantId,
        templateId,
        version: 2,
        name: 'Offer',
        body: 'v2',
        mediaUrls: ['https://example.com/a.png'],
        warnings: [],
        revisedAt: at(0),
      },
    };
    expect(templateVersionOf(revised)).toEqual({
      tenant_id: tenantId,
      template_id: templateId,
      version: 2,
      body: 'v2',
      media_urls: ['https://example.com/a.png'],
      purpose: null,
    });
    expect(
      templateVersionOf({
        type: 'messaging.TemplateArchived.v1',
        data: { tenantId, templateId, version: 2, archivedAt: at(1) },
      }),
    ).toBeNull();
  });

  it('a value is set, replaced, and gone when deleted', () => {
    const values = projectionSpecification(evolveCustomValue);
    const set = (value: string, version: number): CustomValueEvent => ({
      type: 'messaging.CustomValueSet.v1',
      data: { tenantId, key: 'offer', value, version, created: version === 1, setAt: at(version) },
    });
    values([set('a', 1), set('b', 2)]).then({ tenant_id: tenantId, key: 'offer', value: 'b' });
    values([
      set('a', 1),
      {
        type: 'messaging.CustomValueDeleted.v1',
        data: { tenantId, key: 'offer', version: 2, deletedAt: at(2) },
      },
    ]).then(null);
  });
});
