/** Every error code the product returns (GraphQL `extensions.code`), shared by server and web. */
export const ERROR_CODES = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BYOK_DISABLED: 'BYOK_DISABLED',
  INVALID_KEY_FORMAT: 'INVALID_KEY_FORMAT',
  KEY_REJECTED: 'KEY_REJECTED',
  PROVIDER_NOT_CONFIGURED: 'PROVIDER_NOT_CONFIGURED',
  WORKSPACE_KEY_REJECTED: 'WORKSPACE_KEY_REJECTED',
  GLOBAL_KEY_REJECTED: 'GLOBAL_KEY_REJECTED',
  RATE_LIMITED: 'RATE_LIMITED',
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  BUDGET_EXCEEDED: 'BUDGET_EXCEEDED',
  KEY_UNREADABLE: 'KEY_UNREADABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export type ErrorFixer = 'WORKSPACE_OWNER' | 'PLATFORM_ADMIN' | 'YOU' | 'NOBODY' | 'TRY_LATER';

export interface ErrorExplanation {
  title: string;
  whoCanFix: ErrorFixer;
}

/** Short plain-English titles for the UI, and who can do something about each error. */
export const ERROR_EXPLANATIONS: Record<ErrorCode, ErrorExplanation> = {
  UNAUTHENTICATED: { title: 'Please sign in to continue', whoCanFix: 'YOU' },
  FORBIDDEN: { title: "You don't have permission to do this", whoCanFix: 'WORKSPACE_OWNER' },
  NOT_FOUND: { title: "This doesn't exist or you can't see it", whoCanFix: 'NOBODY' },
  BAD_USER_INPUT: { title: 'Some of the details entered are not valid', whoCanFix: 'YOU' },
  BYOK_DISABLED: {
    title: 'Workspace keys are turned off for this provider',
    whoCanFix: 'PLATFORM_ADMIN',
  },
  INVALID_KEY_FORMAT: { title: "That doesn't look like a valid API key", whoCanFix: 'YOU' },
  KEY_REJECTED: { title: 'The provider did not accept this key', whoCanFix: 'YOU' },
  PROVIDER_NOT_CONFIGURED: {
    title: 'No API key is set up for this provider',
    whoCanFix: 'PLATFORM_ADMIN',
  },
  WORKSPACE_KEY_REJECTED: {
    title: "The provider rejected this workspace's key",
    whoCanFix: 'WORKSPACE_OWNER',
  },
  GLOBAL_KEY_REJECTED: {
    title: "The provider rejected the platform's key",
    whoCanFix: 'PLATFORM_ADMIN',
  },
  RATE_LIMITED: { title: 'Too many requests right now (a rate limit)', whoCanFix: 'TRY_LATER' },
  PROVIDER_UNAVAILABLE: { title: 'The provider is not responding', whoCanFix: 'TRY_LATER' },
  TOO_MANY_ATTEMPTS: { title: 'Too many attempts — wait a moment', whoCanFix: 'TRY_LATER' },
  BUDGET_EXCEEDED: { title: "This workspace has used this month's allowance on the platform's keys", whoCanFix: 'WORKSPACE_OWNER' },
  // A workspace key's owner sets it again; for the platform's key see fixerFor.
  KEY_UNREADABLE: { title: "The stored key can't be read and must be set again", whoCanFix: 'WORKSPACE_OWNER' },
  INTERNAL_SERVER_ERROR: { title: 'Something went wrong on our side', whoCanFix: 'TRY_LATER' },
};

/** Who can fix an error, given which key it is about (an error's `extensions.keySource`): the platform's key is an admin's. */
export function fixerFor(code: ErrorCode, keySource?: unknown): ErrorFixer {
  if (code === 'KEY_UNREADABLE' && keySource === 'GLOBAL') return 'PLATFORM_ADMIN';
  return ERROR_EXPLANATIONS[code].whoCanFix;
}

/** Narrows an untrusted value (e.g. a GraphQL error's `extensions.code`) to a known error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
