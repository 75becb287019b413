import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateWebhookKeyPair, rawEd25519PublicKey } from './webhook-keys.js';

const spkiHeader = Buffer.from('302a300506032b6570032100', 'hex');

describe('generateWebhookKeyPair', () => {
  it('gives a raw 32-byte public key that verifies what the PKCS#8 private key signs', () => {
    const pair = generateWebhookKeyPair();
    const raw = Buffer.from(pair.publicKeyRawBase64, 'base64');
    expect(raw).toHaveLength(32);

    const privateKey = createPrivateKey({
      key: Buffer.from(pair.privateKeyPkcs8Base64, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    const publicKey = createPublicKey({
      key: Buffer.concat([spkiHeader, raw]),
      format: 'der',
      type: 'spki',
    });
    const payload = Buffer.from('1700000000|{"data":{}}');
    const signature = sign(null, payload, privateKey);
    expect(verify(null, payload, publicKey, signature)).toBe(true);
    expect(verify(null, Buffer.from('tampered'), publicKey, signature)).toBe(false);
  });

  it('makes a new pair on every call', () => {
    expect(generateWebhookKeyPair().publicKeyRawBase64).not.toBe(
      generateWebhookKeyPair().publicKeyRawBase64,
    );
  });
});

describe('rawEd25519PublicKey', () => {
  it('returns the 32 bytes after the SPKI header', () => {
    const raw = Buffer.alloc(32, 7);
    expect(rawEd25519PublicKey(Buffer.concat([spkiHeader, raw])).equals(raw)).toBe(true);
  });

  it('refuses a document of another algorithm or length', () => {
    const x25519Header = Buffer.from('302a300506032b656e032100', 'hex');
    expect(() => rawEd25519PublicKey(Buffer.concat([x25519Header, Buffer.alloc(32)]))).toThrow(
      /Ed25519/,
    );
    expect(() => rawEd25519PublicKey(Buffer.concat([spkiHeader, Buffer.alloc(31)]))).toThrow(
      /Ed25519/,
    );
  });
});
