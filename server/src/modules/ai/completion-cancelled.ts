import { GraphQLError } from 'graphql';

/**
 * Thrown instead of an API error when the caller cancelled: there is nobody left to tell. A GraphQLError with
 * Apollo's BAD_REQUEST code so a client hanging up is not logged as a server fault.
 */
export class CompletionCancelledError extends GraphQLError {
  constructor() {
    super('The client cancelled the request', { extensions: { code: 'BAD_REQUEST' } });
    this.name = 'CompletionCancelledError';
  }
}
