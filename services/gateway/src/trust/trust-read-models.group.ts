/**
 * The consumer group of the trust read models on registration.registrations.events.v1.
 * TODO(lead): belongs in libs/contracts ConsumerGroups as `gatewayTrustReadModels` (which also
 * registers its DLQ topic, `gateway.trust-read-models.dlq`); until then, named here.
 */
export const TRUST_READ_MODELS_GROUP = 'gateway.trust-read-models';
