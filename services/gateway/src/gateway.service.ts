import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConsumerGroups, eventContracts, Topics } from '@textplane/contracts';
import { GroupAppender, GroupedTransactions } from '@textplane/event-store';
import { createLogger, type Logger } from '@textplane/observability';
import {
  type Clock,
  EventSourcedRuntime,
  NestLoggerBridge,
  runtimeSettingsOf,
  systemClock,
} from '@textplane/service-runtime';
import { GatewayHttpModule } from './app.module.js';
import type { GatewayConfig } from './config.js';
import { ListeningConsentConfirmations } from './consents/consent-confirmations.js';
import { ConsentReadModel } from './consents/consent-read-model.js';
import { ConsentProjection } from './consents/consent.projection.js';
import { ConsentsApplication } from './consents/consents.application.js';
import { consentGrpc } from './consents/consent.grpc-controller.js';
import { ListeningContactConfirmations } from './contacts/contact-confirmations.js';
import { ContactReadModel } from './contacts/contact-read-model.js';
import { ContactProjection } from './contacts/contact.projection.js';
import { MergeFieldRenderer } from '@textplane/merge-fields';
import { ContactsApplication } from './contacts/contacts.application.js';
import { ContactImportReadModel } from './contact-imports/contact-import-read-model.js';
import { ContactImportProjection } from './contact-imports/contact-import.projection.js';
import { ContactImportsApplication } from './contact-imports/contact-imports.application.js';
import { CustomValueReadModel } from './custom-values/custom-value-read-model.js';
import { CustomValueProjection } from './custom-values/custom-value.projection.js';
import { CustomValuesApplication } from './custom-values/custom-values.application.js';
import { ListeningTemplateConfirmations } from './templates/template-confirmations.js';
import { TemplateReadModel } from './templates/template-read-model.js';
import { TemplateProjection } from './templates/template.projection.js';
import { templateGrpc } from './templates/template.grpc-controller.js';
import { TemplatesApplication } from './templates/templates.application.js';
import { contactGrpc } from './contacts/contact.grpc-controller.js';
import { contactImportGrpc } from './contact-imports/contact-import.grpc-controller.js';
import { ConversationReadModel } from './conversations/conversation-read-model.js';
import { ConversationWatchHub } from './conversations/conversation-watch-hub.js';
import { conversationGrpc } from './conversations/conversation.grpc-controller.js';
import { ConversationProjection } from './conversations/conversation.projection.js';
import { ConversationsApplication } from './conversations/conversations.application.js';
import { GrpcEdge } from './grpc/grpc-edge.js';
import { frameworkErrorOptions } from './http/framework-errors.js';
import { acceptOnlyDeclaredBodies } from './http/request-bodies.js';
import { IdempotencyStore } from './idempotency/idempotency-store.js';
import { MessageProjection } from './messages/message.projection.js';
import { MessageReadModel } from './messages/message-read-model.js';
import { MessageWatchHub } from './messages/message-watch-hub.js';
import { ListeningMessageChangeConfirmations } from './messages/message-change-confirmations.js';
import { MessagesApplication } from './messages/messages.application.js';
import { messagingGrpc } from './messages/messaging.grpc-controller.js';
import { BulkRecipientReadModel } from './bulk-sends/bulk-recipient-read-model.js';
import { BulkSendsApplication } from './bulk-sends/bulk-sends.application.js';
import { BulkSendLifecycle } from './bulk-sends/bulk-send-lifecycle.application.js';
import { BulkSendProjection } from './bulk-sends/bulk-send.projection.js';
import { BulkSendReadModel } from './bulk-sends/bulk-send-read-model.js';
import { BulkSendWatchHub } from './bulk-sends/bulk-send-watch-hub.js';
import { bulkSendGrpc } from './bulk-sends/bulk-send.grpc-controller.js';
import { WorkflowActionsApplication } from './workflow-actions/workflow-actions.application.js';
import { workflowGrpc } from './workflow-actions/workflow-action.grpc-controller.js';
import { TrustCenter } from './trust/trust-center.application.js';
import { TrustProjection } from './trust/trust.projection.js';
import { TrustReadModel } from './trust/trust-read-model.js';
import { numberLookupsContext } from './number-lookups/number-lookups.context.js';
import { billingContext } from './billing/billing.context.js';
import { gatewayMigrations } from './migrations/index.js';
import { openApiDocument } from './openapi/openapi-document.js';
import { problemHeaders, problemOf } from './problems/problem-details.js';
import { TenantAdmin } from './tenants/tenant-admin.js';
import { TenantDirectory } from './tenants/tenant-directory.js';
import { SettingsApplication } from './settings/settings.application.js';
import { settingsGrpc } from './settings/settings.grpc-controller.js';
import { trustGrpc } from './trust/trust.grpc-controller.js';
import { billingGrpc } from './billing/billing.grpc-controller.js';
import { TelnyxWebhookReceiver } from './webhooks/telnyx-webhook-receiver.js';

const IDEMPOTENCY_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export interface GatewayOverrides {
  clock?: Clock;
  logger?: Logger;
}

export interface GatewayAddresses {
  httpPort: number;
  grpcPort: number;
}

/**
 * The gateway, assembled by hand: REST (Nest on Fastify) and gRPC (a Nest microservice on the gRPC
 * transport) over the same use cases, on
 * the event-sourced runtime that publishes what they record and projects messaging's events.
 */
/**
 * The message events the message and conversation read models are given: every one on
 * messaging's topic but a hold asked of billing (FundsHoldRequested, one per text), which
 * changes neither and is passed over undecoded instead of costing each an inbox row.
 */
const MESSAGE_ROW_EVENTS: readonly string[] = Object.entries(eventContracts)
  .filter(
    ([type, contract]) =>
      contract.topic === Topics.messagingMessages && type !== 'messaging.FundsHoldRequested.v1',
  )
  .map(([type]) => type);

export class GatewayService {
  private http: NestFastifyApplication | undefined;
  private grpc: GrpcEdge | undefined;
  private watchHub: MessageWatchHub | undefined;
  private conversationWatchHub: ConversationWatchHub | undefined;
  private bulkSendWatchHub: BulkSendWatchHub | undefined;
  private confirmations: ListeningConsentConfirmations | undefined;
  private contactConfirmations: ListeningContactConfirmations | undefined;
  private templateConfirmations: ListeningTemplateConfirmations | undefined;
  private messageChanges: ListeningMessageChangeConfirmations | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly config: GatewayConfig,
    private readonly runtime: EventSourcedRuntime,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  static create(config: GatewayConfig, overrides: GatewayOverrides = {}): GatewayService {
    const logger = overrides.logger ?? createLogger('gateway', config.LOG_LEVEL);
    const runtime = new EventSourcedRuntime({
      serviceName: 'gateway',
      databaseUrl: config.GATEWAY_DATABASE_URL,
      databasePoolSize: config.GATEWAY_DB_POOL_SIZE,
      migrations: gatewayMigrations,
      ...runtimeSettingsOf(config),
      logger,
    });
    return new GatewayService(config, runtime, logger, overrides.clock ?? systemClock);
  }

  async start(): Promise<GatewayAddresses> {
    const { config, logger, clock, runtime } = this;
    await runtime.open();

    const readModel = new MessageReadModel(runtime.dataSource);
    const tenants = new TenantDirectory(runtime.dataSource);
    const idempotency = new IdempotencyStore(runtime.dataSource);
    this.watchHub = new MessageWatchHub(config.GATEWAY_DATABASE_URL, readModel, logger);
    await this.watchHub.start();
    const consentReadModel = new ConsentReadModel(runtime.dataSource);
    this.confirmations = new ListeningConsentConfirmations(
      config.GATEWAY_DATABASE_URL,
      consentReadModel,
      logger,
    );
    await this.confirmations.start();
    this.messageChanges = new ListeningMessageChangeConfirmations(
      config.GATEWAY_DATABASE_URL,
      logger,
    );
    await this.messageChanges.start();
    const contactReadModel = new ContactReadModel(runtime.dataSource);
    const billing = billingContext({
      store: runtime.store,
      inbox: runtime.inbox,
      dataSource: runtime.dataSource,
      tenants,
      idempotency,
      clock,
    });
    const messages = new MessagesApplication(
      runtime.store,
      readModel,
      tenants,
      idempotency,
      this.watchHub,
      clock,
      consentReadModel,
      new GroupedTransactions(runtime.dataSource),
      { allowLoopback: config.MEDIA_FETCH_ALLOW_LOOPBACK },
      // The same bound as the consent API's wait for its confirmations.
      {
        confirmations: this.messageChanges,
        timeoutMs: config.GATEWAY_CONSENT_CONFIRM_TIMEOUT_MS,
      },
      contactReadModel,
      new MergeFieldRenderer(),
      // A send may name a template, and renders with the tenant's custom values.
      {
        templates: new TemplateReadModel(runtime.dataSource),
        customValues: new CustomValueReadModel(runtime.dataSource),
      },
      config.GATEWAY_ENFORCE_FUNDS ? billing.billing : null,
    );
    const consents = new ConsentsApplication(
      runtime.store,
      consentReadModel,
      tenants,
      idempotency,
      this.confirmations,
      clock,
      config.GATEWAY_CONSENT_CONFIRM_TIMEOUT_MS,
    );
    this.contactConfirmations = new ListeningContactConfirmations(
      config.GATEWAY_DATABASE_URL,
      contactReadModel,
      logger,
    );
    await this.contactConfirmations.start();
    // Messaging owns contacts: the same bound as the consent API's wait for its confirmations.
    const contacts = new ContactsApplication(
      runtime.store,
      contactReadModel,
      consentReadModel,
      tenants,
      this.contactConfirmations,
      clock,
      config.GATEWAY_CONSENT_CONFIRM_TIMEOUT_MS,
    );
    const contactImportProjection = new ContactImportProjection(
      runtime.inbox,
      ConsumerGroups.gatewayContactImportReadModels,
    );
    const bulkSendProjection = new BulkSendProjection(
      runtime.inbox,
      ConsumerGroups.gatewayBulkSendReadModels,
    );
    const trustProjection = new TrustProjection(
      runtime.inbox,
      ConsumerGroups.gatewayTrustReadModels,
    );
    const trust = new TrustCenter(
      runtime.store,
      trustProjection,
      new TrustReadModel(runtime.dataSource),
      tenants,
      idempotency,
      clock,
    );
    const numberLookups = numberLookupsContext(runtime.inbox, runtime.dataSource);
    const contactImports = new ContactImportsApplication(
      runtime.store,
      contactImportProjection,
      new ContactImportReadModel(runtime.dataSource),
      tenants,
      idempotency,
      clock,
    );
    const templateReadModel = new TemplateReadModel(runtime.dataSource);
    const customValueReadModel = new CustomValueReadModel(runtime.dataSource);
    this.templateConfirmations = new ListeningTemplateConfirmations(
      config.GATEWAY_DATABASE_URL,
      templateReadModel,
      logger,
    );
    await this.templateConfirmations.start();
    // Messaging owns templates and custom values: the same bound as the other confirmations.
    const templates = new TemplatesApplication(
      runtime.store,
      templateReadModel,
      contactReadModel,
      customValueReadModel,
      tenants,
      idempotency,
      this.templateConfirmations,
      new MergeFieldRenderer(),
      clock,
      config.GATEWAY_CONSENT_CONFIRM_TIMEOUT_MS,
    );
    const customValues = new CustomValuesApplication(
      runtime.store,
      customValueReadModel,
      this.templateConfirmations,
      clock,
      config.GATEWAY_CONSENT_CONFIRM_TIMEOUT_MS,
    );
    const conversationReadModel = new ConversationReadModel(runtime.dataSource);
    this.conversationWatchHub = new ConversationWatchHub(
      config.GATEWAY_DATABASE_URL,
      conversationReadModel,
      logger,
    );
    await this.conversationWatchHub.start();
    const conversations = new ConversationsApplication(
      runtime.dataSource,
      runtime.store,
      conversationReadModel,
      this.conversationWatchHub,
      clock,
    );
    const admin = new TenantAdmin(runtime.store, tenants, clock);
    const settings = new SettingsApplication(runtime.dataSource, admin);
    const webhooks = new TelnyxWebhookReceiver(
      config.TELNYX_PUBLIC_KEY,
      new GroupAppender(runtime.store),
      clock,
    );

    const projection = new MessageProjection(
      runtime.inbox,
      ConsumerGroups.gatewayReadModels,
      readModel,
    );
    const consentProjection = new ConsentProjection(
      runtime.inbox,
      ConsumerGroups.gatewayConsentReadModels,
    );
    const contactProjection = new ContactProjection(
      runtime.inbox,
      ConsumerGroups.gatewayContactReadModels,
    );
    const templateProjection = new TemplateProjection(
      runtime.inbox,
      ConsumerGroups.gatewayTemplateReadModels,
    );
    const customValueProjection = new CustomValueProjection(
      runtime.inbox,
      ConsumerGroups.gatewayCustomValueReadModels,
    );
    const conversationProjection = new ConversationProjection(
      runtime.inbox,
      ConsumerGroups.gatewayConversationReadModels,
      conversationReadModel,
    );
    const conversationReadProjection = new ConversationProjection(
      runtime.inbox,
      ConsumerGroups.gatewayConversationReads,
      conversationReadModel,
    );
    await runtime.consume([
      {
        groupId: ConsumerGroups.gatewayReadModels,
        topic: Topics.messagingMessages,
        handle: (event) => projection.handle(event),
        handleBatch: (events) => projection.handleBatch(events),
        eventTypes: MESSAGE_ROW_EVENTS,
      },
      {
        groupId: ConsumerGroups.gatewayConsentReadModels,
        topic: Topics.consentConsents,
        handle: (event) => consentProjection.handle(event),
        handleBatch: (events) => consentProjection.handleBatch(events),
      },
      {
        groupId: ConsumerGroups.gatewayContactReadModels,
        topic: Topics.messagingContacts,
        handle: (event) => contactProjection.handle(event),
        handleBatch: (events) => contactProjection.handleBatch(events),
      },
      {
        groupId: ConsumerGroups.gatewayContactImportReadModels,
        topic: Topics.messagingContactImports,
        handle: (event) => contactImportProjection.handle(event),
        handleBatch: (events) => contactImportProjection.handleBatch(events),
      },
      {
        groupId: ConsumerGroups.gatewayBulkSendReadModels,
        topic: Topics.messagingBulkSends,
        handle: (event) => bulkSendProjection.handle(event),
        handleBatch: (events) => bulkSendProjection.handleBatch(events),
      },
      numberLookups.consumer,
      ...billing.consumers,
      {
        groupId: ConsumerGroups.gatewayTrustReadModels,
        topic: Topics.registrationRegistrations,
        handle: (event) => trustProjection.handle(event),
        handleBatch: (events) => trustProjection.handleBatch(events),
      },
      {
        groupId: ConsumerGroups.gatewayTemplateReadModels,
        topic: Topics.messagingTemplates,
        handle: (event) => templateProjection.handle(event),
        handleBatch: (events) => templateProjection.handleBatch(events),
      },
      {
        groupId: ConsumerGroups.gatewayCustomValueReadModels,
        topic: Topics.messagingCustomValues,
        handle: (event) => customValueProjection.handle(event),
        handleBatch: (events) => customValueProjection.handleBatch(events),
      },
      {
        groupId: ConsumerGroups.gatewayConversationReadModels,
        topic: Topics.messagingMessages,
        handle: (event) => conversationProjection.handle(event),
        handleBatch: (events) => conversationProjection.handleBatch(events),
        eventTypes: MESSAGE_ROW_EVENTS,
      },
      {
        groupId: ConsumerGroups.gatewayConversationReads,
        topic: Topics.gatewayConversations,
        handle: (event) => conversationReadProjection.handle(event),
        handleBatch: (events) => conversationReadProjection.handleBatch(events),
      },
    ]);

    this.purgeTimer = setInterval(() => {
      idempotency
        .purgeExpired()
        .catch((error: unknown) => logger.warn({ err: error }, 'idempotency purge failed'));
    }, IDEMPOTENCY_PURGE_INTERVAL_MS);
    this.purgeTimer.unref();

    const adapter = new FastifyAdapter({
      bodyLimit: config.GATEWAY_BODY_LIMIT_BYTES,
      // A CRM's contact id is up to 128 characters, each up to 3 when %-encoded (Fastify's 100
      // would refuse valid ids with 414); longer parameters are still 414.
      maxParamLength: 512,
      ...frameworkErrorOptions,
    });
    // Errors Fastify raises before a controller runs (bad JSON, body too large) are problems too.
    adapter.getInstance().setErrorHandler((error, request, reply) => {
      const problem = problemOf(error, request.url.split('?')[0]);
      void reply.status(problem.status).headers(problemHeaders(problem)).send(problem);
    });
    acceptOnlyDeclaredBodies(adapter.getInstance());
    const workflowActions = new WorkflowActionsApplication(messages);
    const bulkSends = new BulkSendsApplication(
      tenants,
      new BulkRecipientReadModel(runtime.dataSource),
      templateReadModel,
      customValueReadModel,
      clock,
      new MergeFieldRenderer(),
      { allowLoopback: config.MEDIA_FETCH_ALLOW_LOOPBACK },
      billing.billing,
    );
    const bulkSendReadModel = new BulkSendReadModel(runtime.dataSource, clock);
    const bulkSendLifecycle = new BulkSendLifecycle(
      bulkSends,
      runtime.store,
      bulkSendProjection,
      bulkSendReadModel,
      idempotency,
      clock,
    );
    this.bulkSendWatchHub = new BulkSendWatchHub(
      config.GATEWAY_DATABASE_URL,
      bulkSendReadModel,
      logger,
    );
    await this.bulkSendWatchHub.start();
    this.http = await NestFactory.create<NestFastifyApplication>(
      GatewayHttpModule.forRoot({
        ops: { health: runtime.health, metrics: runtime.metrics },
        logger,
        adminToken: config.TEXTPLANE_ADMIN_TOKEN,
        openApi: openApiDocument(
          config.GATEWAY_PUBLIC_URL ?? `http://127.0.0.1:${config.GATEWAY_HTTP_PORT}`,
        ),
        messages,
        workflowActions,
        bulkSends,
        bulkSendLifecycle,
        trust,
        numberLookups: numberLookups.queries,
        billing: billing.billing,
        consents,
        contacts,
        contactImports,
        conversations,
        templates,
        customValues,
        settings,
        tenants,
        admin,
        idempotency,
        webhooks,
      }),
      adapter,
      // Bodies are parsed by acceptOnlyDeclaredBodies, not Nest's JSON and form parsers.
      { logger: new NestLoggerBridge(logger), bodyParser: false },
    );
    await this.http.listen(config.GATEWAY_HTTP_PORT, config.GATEWAY_HOST);
    const address = this.http.getHttpServer().address();
    const httpPort =
      typeof address === 'object' && address ? address.port : config.GATEWAY_HTTP_PORT;

    this.grpc = await GrpcEdge.start({
      contexts: [
        messagingGrpc(config.GATEWAY_PROTO_DIR, messages),
        consentGrpc(config.GATEWAY_PROTO_DIR, consents),
        contactGrpc(config.GATEWAY_PROTO_DIR, contacts),
        contactImportGrpc(config.GATEWAY_PROTO_DIR, contactImports),
        conversationGrpc(config.GATEWAY_PROTO_DIR, conversations),
        templateGrpc(config.GATEWAY_PROTO_DIR, templates, customValues),
        settingsGrpc(config.GATEWAY_PROTO_DIR, settings),
        trustGrpc(config.GATEWAY_PROTO_DIR, trust),
        billingGrpc(config.GATEWAY_PROTO_DIR, billing.billing),
        workflowGrpc(config.GATEWAY_PROTO_DIR, workflowActions),
        bulkSendGrpc(config.GATEWAY_PROTO_DIR, {
          bulkSends,
          lifecycle: bulkSendLifecycle,
          watchHub: this.bulkSendWatchHub,
        }),
      ],
      authenticator: tenants,
      port: config.GATEWAY_GRPC_PORT,
      host: config.GATEWAY_HOST,
      logger: {
        info: (message, fields) => logger.info(fields ?? {}, message),
        warn: (message, fields) => logger.warn(fields ?? {}, message),
        error: (message, fields) => logger.error(fields ?? {}, message),
      },
      nestLogger: new NestLoggerBridge(logger),
    });
    const grpcPort = this.grpc.port;
    logger.info({ httpPort, grpcPort }, 'gateway started');
    return { httpPort, grpcPort };
  }

  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.grpc?.stop();
    await this.http?.close();
    await this.watchHub?.stop();
    await this.conversationWatchHub?.stop();
    await this.bulkSendWatchHub?.stop();
    await this.confirmations?.stop();
    await this.contactConfirmations?.stop();
    await this.templateConfirmations?.stop();
    await this.messageChanges?.stop();
    await this.runtime.close();
  }
}
