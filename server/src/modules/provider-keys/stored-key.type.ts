import { KEY_ORIGINS } from '@byok/shared';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { enumObject, KeyStatus } from '../../graphql/enums';
import type { StoredKeyView } from './stored-key-view';

export const KeyOrigin = enumObject(KEY_ORIGINS);
export type KeyOrigin = (typeof KEY_ORIGINS)[number];
registerEnumType(KeyOrigin, {
  name: 'KeyOrigin',
  description: 'Where a key in effect comes from: saved through the API, or a global key from the server environment',
});

/** What the API shows of a provider key: a mask and a fingerprint, never the key (R5). No field can carry a key or ciphertext. */
@ObjectType('StoredKey', { description: 'A provider key as shown to people: mask, fingerprint and status, never the key itself' })
export class StoredKeyType {
  @Field(() => String, { description: 'Known prefix, "…" and the last 4 characters, e.g. "sk-…a1b2"' })
  masked: string;

  @Field(() => String, { description: 'Short stable id of the key ("fp:" + 12 hex of its SHA-256)' })
  fingerprint: string;

  @Field(() => KeyStatus)
  status: KeyStatus;

  @Field(() => Boolean, { description: 'Whether AI requests use this key now (a workspace key is inactive while BYOK is off)' })
  active: boolean;

  @Field(() => Date, { nullable: true, description: 'When the provider last gave a definite answer about this key' })
  lastVerifiedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last check failed or could not run (sanitized)' })
  lastError: string | null;

  @Field(() => Date)
  updatedAt: Date;

  @Field(() => KeyOrigin, { description: 'STORED for keys saved through the API; ENVIRONMENT for a global key from OPENAI_API_KEY / ANTHROPIC_API_KEY' })
  origin: KeyOrigin;

  static present(view: StoredKeyView): StoredKeyType {
    return Object.assign(new StoredKeyType(), {
      masked: view.masked,
      fingerprint: view.fingerprint,
      status: view.status,
      active: view.active,
      lastVerifiedAt: view.lastVerifiedAt,
      lastError: view.lastError,
      updatedAt: view.updatedAt,
      origin: view.origin,
    });
  }
}
