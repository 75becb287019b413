export {
  type BuildPolicy,
  type ServiceName,
  type Stack,
  type StackOptions,
  type StackService,
  type StackSupervisionEvent,
  type SupervisionEvent,
  type StackUrls,
  startStack,
  withoutPassword,
} from './start-stack.js';
export {
  benchTenant,
  demoTenant,
  fundTenant,
  seedTenant,
  setTenantLimits,
  UNBOUND_LIMITS,
  type SeededTenant,
  type TenantProfile,
} from './admin-api.js';
export {
  registerSenders,
  type RegisteredSenders,
  SenderRegistrationError,
} from './sender-registration.js';
export {
  parseStackState,
  readStackState,
  removeStackState,
  type StackState,
  stackStateFile,
  stackStateOf,
  writeStackState,
} from './stack-state.js';
export {
  generateWebhookKeyPair,
  rawEd25519PublicKey,
  type WebhookKeyPair,
} from './webhook-keys.js';
export { takeOverShutdownSignals } from './shutdown-signals.js';
export {
  defaultRestartBackoff,
  nextRestartDelay,
  type RestartBackoff,
  type SupervisionClock,
} from './restart-backoff.js';
