/** Whose key a stored key is: the platform's (one per provider) or a workspace's own. */
export const KEY_SCOPES = ['GLOBAL', 'WORKSPACE'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/**
 * What is known about a stored key: not asked yet, accepted or rejected by the provider, or UNREADABLE
 * (the server's encryption keys cannot open it: KEY_UNREADABLE; it must be set again).
 */
export const KEY_STATUSES = ['UNVERIFIED', 'VALID', 'INVALID', 'UNREADABLE'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

/** Where a key in effect comes from: saved through the API, or a global key from the server environment. */
export const KEY_ORIGINS = ['STORED', 'ENVIRONMENT'] as const;
export type KeyOrigin = (typeof KEY_ORIGINS)[number];
