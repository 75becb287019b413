import type { MessagePurpose, TemplateKind, TemplateWarning } from '@textplane/contracts';
import type { SegmentEstimate } from '@textplane/merge-fields';

/** A template or snippet at its latest version. */
export interface TemplateResource {
  id: string;
  kind: TemplateKind;
  name: string;
  body: string;
  purpose: MessagePurpose | null;
  mediaUrls: string[];
  version: number;
  /** What the compliance linter noted when this version was saved. */
  warnings: TemplateWarning[];
  /** Set once archived: no longer listed nor sendable; its versions stay readable. */
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One version as it was saved. */
export interface TemplateVersionResource {
  id: string;
  version: number;
  name: string;
  body: string;
  purpose: MessagePurpose | null;
  mediaUrls: string[];
  warnings: TemplateWarning[];
  createdAt: string;
}

export interface TemplatePage {
  items: TemplateResource[];
  nextCursor: string | null;
}

export interface PendingTemplateRequest {
  status: 'pending';
  requestId: string;
  templateId: string;
}

export type TemplateWriteOutcome =
  | { status: 'saved'; template: TemplateResource; replayed: boolean }
  | (PendingTemplateRequest & { replayed: boolean });

export type TemplateArchiveOutcome =
  { status: 'archived'; templateId: string } | PendingTemplateRequest;

/** A preview for one contact: the text as it would be sent, compliance additions included. */
export interface ContactTemplatePreview extends SegmentEstimate {
  text: string;
  /** What compliance adds (brand, opt-out language), null when nothing. */
  added: string | null;
}

export interface TemplateRangePreview {
  best: SegmentEstimate;
  worst: SegmentEstimate;
  /** How many of the tenant's contacts the range is over. */
  contacts: number;
}
