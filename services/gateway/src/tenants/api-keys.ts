import { createHash, randomBytes } from 'node:crypto';

/** API keys are shown once and stored only as their SHA-256 (high-entropy keys need no slow hash). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `tp_live_${randomBytes(24).toString('base64url')}`;
}
