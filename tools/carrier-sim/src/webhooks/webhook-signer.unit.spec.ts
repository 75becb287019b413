import { generateKeyPairSync } from 'node:crypto';
import { TelnyxWebhook } from 'telnyx/lib/webhooks';
import { describe, expect, it } from 'vitest';
import { WebhookSigner } from './webhook-signer.js';

describe('WebhookSigner', () => {
  it('produces signatures the Telnyx SDK verifier accepts, and rejects tampering', async () => {
    const signer = WebhookSigner.generate();
    const body = '{"data":{"event_type":"message.sent"}}';
    const headers = { ...signer.sign(body, new Date()) };
    const verifier = new TelnyxWebhook(signer.publicKey);

    await expect(verifier.verify(body, headers)).resolves.toBeUndefined();
    await expect(verifier.verify(body.replace('sent', 'lost'), headers)).rejects.toThrow(
      /signature does not match/,
    );
  });

  it('loads the same key from a raw seed and from PKCS#8 DER', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const seed = der.subarray(der.length - 32);
    const fromDer = WebhookSigner.fromBase64(der.toString('base64'));
    const fromSeed = WebhookSigner.fromBase64(seed.toString('base64'));
    expect(fromSeed.publicKey).toBe(fromDer.publicKey);
    expect(Buffer.from(fromSeed.publicKey, 'base64')).toHaveLength(32);
  });

  it('refuses a key that is not Ed25519', () => {
    expect(() => WebhookSigner.fromBase64(Buffer.from('nonsense').toString('base64'))).toThrow();
  });
});
