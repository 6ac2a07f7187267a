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
