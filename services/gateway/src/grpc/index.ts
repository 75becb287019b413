export {
  GrpcGateway,
  CONVERSATION_PAGE_SIZE,
  DEFAULT_WATCH_BACKLOG_LIMIT,
} from './grpc-gateway.js';
export type { GrpcGatewayOptions, GrpcLogger } from './grpc-gateway.js';
export type { MessagingApplication } from '../messages/messaging-application.js';
export { toMessageResource } from '../messages/message.mapper.js';
export {
  loadMessagingPackage,
  messagingMethods,
  messagingServiceDefinition,
  MESSAGING_PROTO_FILE,
  MESSAGING_SERVICE_NAME,
} from '../messages/messaging-proto.js';
export {
  CONSENT_PROTO_FILE,
  CONSENT_SERVICE_NAME,
  consentServiceDefinition,
  loadConsentPackage,
} from '../consents/consent-proto.js';
export { fromStructProto } from '../consents/consent.mapper.js';
