import type { TemplateContent, TemplateKind } from '@textplane/contracts';

interface TemplateRequest {
  tenantId: string;
  templateId: string;
  requestId: string;
  requestedAt: Date;
  now: Date;
}

export interface CreateTemplate extends TemplateRequest {
  type: 'CreateTemplate';
  kind: TemplateKind;
  content: TemplateContent;
}

/** A new version of the content; the earlier versions stay readable. */
export interface ReviseTemplate extends TemplateRequest {
  type: 'ReviseTemplate';
  content: TemplateContent;
}

export interface ArchiveTemplate extends TemplateRequest {
  type: 'ArchiveTemplate';
}

export type TemplateCommand = CreateTemplate | ReviseTemplate | ArchiveTemplate;
