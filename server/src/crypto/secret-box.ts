import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** What a ciphertext is bound to (R9): moving it to another row changes this and decryption fails. */
export interface SecretContext {
  scope: 'GLOBAL' | 'WORKSPACE';
  workspaceId: string | null;
  provider: string;
}

export interface SealedSecret {
  /** `v1.<keyId>.<nonce b64url>.<ciphertext+tag b64url>` */
  ciphertext: string;
  keyId: string;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const FORMAT_VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A key's id is derived from the key itself, so configuration cannot mislabel which key sealed a row. */
export function encryptionKeyId(key: Buffer): string {
  return createHash('sha256').update('byok-encryption-key-id').update(key).digest('hex').slice(0, 12);
}

function associatedData(context: SecretContext, keyId: string): Buffer {
  // Length-prefixed fields so no two different contexts serialise to the same bytes.
  // Ids are canonicalised: Postgres (and the API) accept a UUID in any letter case, so the same row must
  // always bind to the same bytes, however the caller spelled its id.
  const fields = [FORMAT_VERSION, context.scope, (context.workspaceId ?? '').toLowerCase(), context.provider, keyId];
  return Buffer.from(fields.map((field) => `${field.length}:${field}`).join('|'), 'utf8');
}

/**
 * AES-256-GCM with a random 96-bit nonce per seal. The first key seals; every configured key opens,
 * which is what lets rotation run while the server keeps serving.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;
  private readonly currentKey: Buffer;

  constructor(keys: Buffer[]) {
    const [current] = keys;
    if (!current) throw new SecretBoxError('At least one encryption key is required');
    for (const key of keys) if (key.length !== 32) throw new SecretBoxError('Encryption keys must be 32 bytes');
    this.keys = new Map(keys.map((key) => [encryptionKeyId(key), key]));
    this.currentKey = current;
    this.currentKeyId = encryptionKeyId(current);
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  seal(plaintext: string, context: SecretContext): SealedSecret {
    const key = this.currentKey;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(context, this.currentKeyId));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return {
      ciphertext: [FORMAT_VERSION, this.currentKeyId, nonce.toString('base64url'), body.toString('base64url')].join('.'),
      keyId: this.currentKeyId,
    };
  }

  /** Fails closed: a tampered, moved or unknown-key ciphertext throws, with no detail about the secret. */
  open(ciphertext: string, context: SecretContext): string {
    const parts = ciphertext.split('.');
    if (parts.length !== 4 || parts[0] !== FORMAT_VERSION) throw new SecretBoxError('Stored key has an unknown format');
    const [, keyId, nonceText, bodyText] = parts as [string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxError(`Stored key was sealed with encryption key ${keyId}, which is not configured`);
    const nonce = Buffer.from(nonceText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) throw new SecretBoxError('Stored key is malformed');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(context, keyId));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('Stored key failed its integrity check (tampered, or copied from another row)');
    }
  }

  /** The key id a ciphertext names, without opening it. */
  static keyIdOf(ciphertext: string): string | null {
    const parts = ciphertext.split('.');
    return parts.length === 4 ? (parts[1] ?? null) : null;
  }
}
