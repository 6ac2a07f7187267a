import { hash, randomBytes } from 'node:crypto';

/** A random opaque token: `prefix` + 32 random bytes in base64url (256 bits). */
export function generateToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored only as their SHA-256 digest (hex); lookups are by digest. */
export function hashToken(token: string): string {
  // One-shot hash (no Hash object): it runs on every authenticated request.
  return hash('sha256', token, 'hex');
}
