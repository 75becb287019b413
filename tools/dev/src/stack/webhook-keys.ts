import { generateKeyPairSync } from 'node:crypto';

/** The Ed25519 pair the carrier simulator signs webhooks with and the gateway verifies them by. */
export interface WebhookKeyPair {
  /** PKCS#8 DER in base64: the format `CARRIER_SIM_PRIVATE_KEY` accepts. */
  readonly privateKeyPkcs8Base64: string;
  /** The raw 32-byte public key in base64: the format of Telnyx's `TELNYX_PUBLIC_KEY`. */
  readonly publicKeyRawBase64: string;
}

// An Ed25519 SubjectPublicKeyInfo is this fixed 12-byte header (SEQUENCE, AlgorithmIdentifier
// with OID 1.3.101.112, BIT STRING of 33 bytes with 0 unused bits) followed by the raw key.
const ed25519SpkiHeader = Buffer.from('302a300506032b6570032100', 'hex');
const rawKeyLength = 32;

/** The raw 32-byte Ed25519 key inside an SPKI DER document. */
export function rawEd25519PublicKey(spkiDer: Uint8Array): Buffer {
  const der = Buffer.from(spkiDer);
  const header = der.subarray(0, ed25519SpkiHeader.length);
  if (der.length !== ed25519SpkiHeader.length + rawKeyLength || !header.equals(ed25519SpkiHeader)) {
    throw new Error('not an Ed25519 SubjectPublicKeyInfo DER document');
  }
  return der.subarray(ed25519SpkiHeader.length);
}

export function generateWebhookKeyPair(): WebhookKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPkcs8Base64: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKeyRawBase64: rawEd25519PublicKey(
      publicKey.export({ format: 'der', type: 'spki' }),
    ).toString('base64'),
  };
}
