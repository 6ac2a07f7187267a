/** Whose key a stored key is: the platform's (one per provider) or a workspace's own. */
export const KEY_SCOPES = ['GLOBAL', 'WORKSPACE'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** What the provider last said about a key: not asked yet, accepted, or rejected. */
export const KEY_STATUSES = ['UNVERIFIED', 'VALID', 'INVALID'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

/** Where a key in effect comes from: saved through the API, or a global key from the server environment. */
export const KEY_ORIGINS = ['STORED', 'ENVIRONMENT'] as const;
export type KeyOrigin = (typeof KEY_ORIGINS)[number];
