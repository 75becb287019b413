import {
  type KeyObject,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
} from 'node:crypto';

// ASN.1 prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED_LENGTH = 32;

export interface SignedHeaders {
  readonly 'telnyx-timestamp': string;
  readonly 'telnyx-signature-ed25519': string;
}

/**
 * Signs webhooks the way Telnyx does: Ed25519 over `${timestamp}|${raw body}`, base64 signature
 * in `telnyx-signature-ed25519`, Unix seconds in `telnyx-timestamp`.
 */
export class WebhookSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    /** Raw 32-byte Ed25519 public key, base64: the form the SDK's `publicKey` expects. */
    readonly publicKey: string,
  ) {}

  static generate(): WebhookSigner {
    const { privateKey } = generateKeyPairSync('ed25519');
    return WebhookSigner.fromKeyObject(privateKey);
  }

  /** `base64` is either the raw 32-byte seed or a PKCS#8 DER document. */
  static fromBase64(base64: string): WebhookSigner {
    const bytes = Buffer.from(base64, 'base64');
    const der = bytes.length === SEED_LENGTH ? Buffer.concat([PKCS8_ED25519_PREFIX, bytes]) : bytes;
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch (cause) {
      throw new Error('CARRIER_SIM_PRIVATE_KEY is neither a 32-byte seed nor PKCS#8 DER', {
        cause,
      });
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new Error(`CARRIER_SIM_PRIVATE_KEY is a ${key.asymmetricKeyType} key, not ed25519`);
    }
    return WebhookSigner.fromKeyObject(key);
  }

  private static fromKeyObject(privateKey: KeyObject): WebhookSigner {
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    // The raw key is the last 32 bytes of the SubjectPublicKeyInfo.
    const raw = spki.subarray(spki.length - SEED_LENGTH);
    return new WebhookSigner(privateKey, raw.toString('base64'));
  }

  sign(rawBody: string, at: Date): SignedHeaders {
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const signature = sign(null, Buffer.from(`${timestamp}|${rawBody}`), this.privateKey);
    return {
      'telnyx-timestamp': timestamp,
      'telnyx-signature-ed25519': signature.toString('base64'),
    };
  }
}
