import { GraphQLError } from 'graphql';
import type { ErrorCode } from '@byok/shared';

/**
 * The only error type the API raises on purpose. `message` is shown to users and must never contain a
 * secret; `extensions.code` is the contract third-party clients switch on.
 */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'AppError';
  }

  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export const notFound = (what = 'Resource'): AppError => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this'): AppError => new AppError('FORBIDDEN', message);
export const unauthenticated = (): AppError => new AppError('UNAUTHENTICATED', 'Sign in to continue');
export const badInput = (message: string, field?: string): AppError => new AppError('BAD_USER_INPUT', message, field ? { field } : {});

/**
 * A value the code's own logic guarantees (a row just inserted, a key the loop put in the map). Missing means a
 * bug, so it fails loudly as an internal error instead of continuing with `undefined`.
 */
export function ensurePresent<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`internal: ${what} is missing`);
  return value;
}
