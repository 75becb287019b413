import { fileURLToPath } from 'node:url';
import { bool, int, loadConfig, nonEmpty, optionalNonEmpty, port, url, z } from '@textplane/config';
import { runtimeConfigFields } from '@textplane/service-runtime';

/** The repository's proto folder, from src/ (tests) or dist/ (node) alike. */
const defaultProtoDir = fileURLToPath(new URL('../../../proto', import.meta.url));

const schema = z.object({
  GATEWAY_HTTP_PORT: port(8080),
  GATEWAY_GRPC_PORT: port(50051),
  GATEWAY_HOST: nonEmpty('0.0.0.0'),
  GATEWAY_PUBLIC_URL: optionalNonEmpty(),
  GATEWAY_DATABASE_URL: url({
    default: 'postgres://postgres@127.0.0.1:5432/textplane_gateway',
    protocols: ['postgres', 'postgresql'],
  }),
  GATEWAY_DB_POOL_SIZE: int({ min: 2, max: 200, default: 20 }),
  GATEWAY_BODY_LIMIT_BYTES: int({ min: 1024, max: 10 * 1024 * 1024, default: 64 * 1024 }),
  /** How long a consent request waits for the consent service's ledger fact before a 202. */
  GATEWAY_CONSENT_CONFIRM_TIMEOUT_MS: int({ min: 0, max: 60_000, default: 5000 }),
  GATEWAY_PROTO_DIR: nonEmpty(defaultProtoDir),
  /**
   * Take media URLs on loopback (127.0.0.0/8, ::1, localhost): only for a local stack whose
   * media is served from this machine. Private, link-local and metadata addresses stay refused.
   */
  MEDIA_FETCH_ALLOW_LOOPBACK: bool(false),
  /**
   * Refuse a single send for now with 402 `insufficient_funds` when the wallet's available funds,
   * as the gateway last saw them, do not cover its worst-case cost (issue 13). Off only for a
   * stack whose tenants are not credited.
   */
  GATEWAY_ENFORCE_FUNDS: bool(true),
  TELNYX_PUBLIC_KEY: z
    .string({
      error: 'is required: the Telnyx webhook public key (raw 32-byte Ed25519 key, base64)',
    })
    .trim()
    .refine((value) => Buffer.from(value, 'base64').length === 32, {
      message: 'must be a raw 32-byte Ed25519 public key in base64',
    }),
  TEXTPLANE_ADMIN_TOKEN: z
    .string({ error: 'is required: the token that guards the admin API' })
    .trim()
    .min(16, { message: 'must be at least 16 characters' }),
  ...runtimeConfigFields,
});

export type GatewayConfig = Readonly<z.infer<typeof schema>>;

export function loadGatewayConfig(
  env: Record<string, string | undefined> = process.env,
): GatewayConfig {
  return loadConfig(schema, env, 'gateway');
}
