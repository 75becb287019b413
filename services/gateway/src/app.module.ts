import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import type { Logger } from '@textplane/observability';
import { OpsModule, type OpsRegistries } from '@textplane/service-runtime';
import { CONSENT_API, ConsentsController } from './consents/consents.controller.js';
import type { ConsentApi } from './consents/consents.application.js';
import type { ContactApi } from './contacts/contacts.application.js';
import type { ConversationApi } from './conversations/conversations.application.js';
import {
  CONVERSATION_API,
  ConversationsController,
} from './conversations/conversations.controller.js';
import { CONTACT_API, ContactsController } from './contacts/contacts.controller.js';
import type { ContactImportApi } from './contact-imports/contact-imports.application.js';
import {
  CONTACT_IMPORT_API,
  ContactImportsController,
} from './contact-imports/contact-imports.controller.js';
import type { CustomValueApi } from './custom-values/custom-values.application.js';
import {
  CUSTOM_VALUE_API,
  CustomValuesController,
} from './custom-values/custom-values.controller.js';
import type { TemplateApi } from './templates/templates.application.js';
import { TEMPLATE_API, TemplatesController } from './templates/templates.controller.js';
import { ADMIN_TOKEN, AdminTokenGuard, ApiKeyGuard } from './http/guards.js';
import { GATEWAY_LOGGER, ProblemFilter } from './http/problem.filter.js';
import { TracingInterceptor } from './http/tracing.interceptor.js';
import { IdempotencyStore } from './idempotency/idempotency-store.js';
import { MessagesApplication } from './messages/messages.application.js';
import { MessagesController } from './messages/messages.controller.js';
import { OPENAPI_DOCUMENT, OpenApiController } from './openapi/openapi.controller.js';
import type { SettingsApi } from './settings/settings.application.js';
import { SETTINGS_API, SettingsController } from './settings/settings.controller.js';
import { AdminController } from './tenants/admin.controller.js';
import { TenantAdmin } from './tenants/tenant-admin.js';
import { TenantDirectory } from './tenants/tenant-directory.js';
import { TelnyxWebhookReceiver } from './webhooks/telnyx-webhook-receiver.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';
import { BulkSendsApplication } from './bulk-sends/bulk-sends.application.js';
import { BulkSendsController } from './bulk-sends/bulk-sends.controller.js';
import { BulkSendLifecycle } from './bulk-sends/bulk-send-lifecycle.application.js';
import { WorkflowActionsApplication } from './workflow-actions/workflow-actions.application.js';
import { WorkflowActionsController } from './workflow-actions/workflow-actions.controller.js';
import { TrustCenter } from './trust/trust-center.application.js';
import { TrustController } from './trust/trust.controller.js';
import { NumberLookupQueries } from './number-lookups/number-lookups.application.js';
import { NumberLookupsController } from './number-lookups/number-lookups.controller.js';
import { BillingApplication } from './billing/billing.application.js';
import { BillingAdminController, BillingController } from './billing/billing.controller.js';

export interface GatewayHttpParts {
  ops: OpsRegistries;
  logger: Logger;
  adminToken: string;
  openApi: Record<string, unknown>;
  messages: MessagesApplication;
  workflowActions: WorkflowActionsApplication;
  bulkSends: BulkSendsApplication;
  bulkSendLifecycle: BulkSendLifecycle;
  trust: TrustCenter;
  numberLookups: NumberLookupQueries;
  billing: BillingApplication;
  consents: ConsentApi;
  contacts: ContactApi;
  contactImports: ContactImportApi;
  conversations: ConversationApi;
  templates: TemplateApi;
  customValues: CustomValueApi;
  settings: SettingsApi;
  tenants: TenantDirectory;
  admin: TenantAdmin;
  idempotency: IdempotencyStore;
  webhooks: TelnyxWebhookReceiver;
}

/** The REST surface: controllers only map HTTP onto the use cases built by GatewayService. */
@Module({})
export class GatewayHttpModule {
  static forRoot(parts: GatewayHttpParts): DynamicModule {
    return {
      module: GatewayHttpModule,
      imports: [OpsModule.forRoot(parts.ops)],
      controllers: [
        MessagesController,
        ConsentsController,
        ContactsController,
        ContactImportsController,
        ConversationsController,
        TemplatesController,
        CustomValuesController,
        SettingsController,
        WebhooksController,
        WorkflowActionsController,
        BulkSendsController,
        TrustController,
        NumberLookupsController,
        BillingController,
        BillingAdminController,
        AdminController,
        OpenApiController,
      ],
      providers: [
        { provide: GATEWAY_LOGGER, useValue: parts.logger },
        { provide: ADMIN_TOKEN, useValue: parts.adminToken },
        { provide: OPENAPI_DOCUMENT, useValue: parts.openApi },
        { provide: MessagesApplication, useValue: parts.messages },
        { provide: WorkflowActionsApplication, useValue: parts.workflowActions },
        { provide: BulkSendsApplication, useValue: parts.bulkSends },
        { provide: BulkSendLifecycle, useValue: parts.bulkSendLifecycle },
        { provide: TrustCenter, useValue: parts.trust },
        { provide: NumberLookupQueries, useValue: parts.numberLookups },
        { provide: BillingApplication, useValue: parts.billing },
        { provide: CONSENT_API, useValue: parts.consents },
        { provide: CONTACT_API, useValue: parts.contacts },
        { provide: CONTACT_IMPORT_API, useValue: parts.contactImports },
        { provide: CONVERSATION_API, useValue: parts.conversations },
        { provide: TEMPLATE_API, useValue: parts.templates },
        { provide: CUSTOM_VALUE_API, useValue: parts.customValues },
        { provide: SETTINGS_API, useValue: parts.settings },
        { provide: TenantDirectory, useValue: parts.tenants },
        { provide: TenantAdmin, useValue: parts.admin },
        { provide: IdempotencyStore, useValue: parts.idempotency },
        { provide: TelnyxWebhookReceiver, useValue: parts.webhooks },
        ApiKeyGuard,
        AdminTokenGuard,
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: TracingInterceptor },
      ],
    };
  }
}
