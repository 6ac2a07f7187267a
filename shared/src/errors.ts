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
  MODEL_NOT_ALLOWED: 'MODEL_NOT_ALLOWED',
  KEY_UNREADABLE: 'KEY_UNREADABLE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
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
  MODEL_NOT_ALLOWED: { title: "This model is not available on the platform's key for this workspace", whoCanFix: 'PLATFORM_ADMIN' },
  // A workspace key's owner sets it again; for the platform's key see fixerFor.
  KEY_UNREADABLE: { title: "The stored key can't be read and must be set again", whoCanFix: 'WORKSPACE_OWNER' },
  SERVICE_UNAVAILABLE: { title: 'The service is briefly unavailable — try again', whoCanFix: 'TRY_LATER' },
  INTERNAL_SERVER_ERROR: { title: 'Something went wrong on our side', whoCanFix: 'TRY_LATER' },
};

/** How an error code travels over plain HTTP (the gateway, the streaming route, the CSV export). */
export interface ErrorHttpContract {
  /** The status, chosen so each official SDK raises its matching error type. */
  status: number;
  /**
   * Whether the same request may succeed if sent again unchanged. Sent as `x-should-retry`, which the OpenAI and
   * Anthropic SDKs obey over their status-based default (they retry every 5xx and 429 otherwise).
   */
  retryable: boolean;
}

/**
 * Every code's HTTP status and retryability, in one place: a new code without an entry does not compile, so it can
 * never fall through to a 500 that the SDKs would retry.
 */
export const ERROR_HTTP: Record<ErrorCode, ErrorHttpContract> = {
  UNAUTHENTICATED: { status: 401, retryable: false },
  FORBIDDEN: { status: 403, retryable: false },
  NOT_FOUND: { status: 404, retryable: false },
  BAD_USER_INPUT: { status: 400, retryable: false },
  BYOK_DISABLED: { status: 403, retryable: false },
  INVALID_KEY_FORMAT: { status: 400, retryable: false },
  KEY_REJECTED: { status: 400, retryable: false },
  PROVIDER_NOT_CONFIGURED: { status: 403, retryable: false },
  // The provider refused the key: a retry with the same key fails the same way (and must not switch keys, R8).
  WORKSPACE_KEY_REJECTED: { status: 502, retryable: false },
  GLOBAL_KEY_REJECTED: { status: 502, retryable: false },
  RATE_LIMITED: { status: 429, retryable: true },
  PROVIDER_UNAVAILABLE: { status: 503, retryable: true },
  TOO_MANY_ATTEMPTS: { status: 429, retryable: true },
  // As OpenAI answers an exhausted quota: 429, but not worth retrying until the month (or the cap) changes.
  BUDGET_EXCEEDED: { status: 429, retryable: false },
  // An admin limited which models the platform's key serves (R21): the same request fails the same way.
  MODEL_NOT_ALLOWED: { status: 403, retryable: false },
  // The server cannot open the stored key: not the client's fault, and no retry helps until it is set again.
  KEY_UNREADABLE: { status: 500, retryable: false },
  // The server's or the database's own trouble (an outage, a restart): a retry a moment later usually succeeds.
  SERVICE_UNAVAILABLE: { status: 503, retryable: true },
  INTERNAL_SERVER_ERROR: { status: 500, retryable: true },
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
