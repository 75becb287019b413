export {
  GrpcGateway,
  CONVERSATION_PAGE_SIZE,
  DEFAULT_WATCH_BACKLOG_LIMIT,
} from './grpc-gateway.js';
export type { GrpcGatewayOptions, GrpcLogger } from './grpc-gateway.js';
export type { MessagingApplication } from './messaging-application.js';
export { toMessageResource } from './message.mapper.js';
export {
  loadMessagingPackage,
  messagingMethods,
  messagingServiceDefinition,
  MESSAGING_PROTO_FILE,
  MESSAGING_SERVICE_NAME,
} from './messaging-proto.js';
export {
  CONSENT_PROTO_FILE,
  CONSENT_SERVICE_NAME,
  consentServiceDefinition,
  loadConsentPackage,
} from './consent-proto.js';
export { fromStructProto } from './consent.mapper.js';
