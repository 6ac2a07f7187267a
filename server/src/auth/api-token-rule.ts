import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { forbidden, type AppError } from '../errors';
import type { GraphQLContext } from './context';
import * as policies from './policies';

const apiTokenRefused = (mutation: string): AppError =>
  forbidden(`API tokens cannot call ${mutation}; sign in to do this. An API token may only read (within its scope) and make AI requests.`);

/**
 * What an API token may call, decided for every mutation of the schema in one place, before its resolver
 * (and its auth check) runs: a mutation not in `policies.API_TOKEN_MUTATIONS` answers FORBIDDEN to an API
 * token, so a mutation added later is refused to tokens by default. Applied to the built schema and to the
 * Mutation type's fields only, so queries pay nothing.
 */
export function applyApiTokenRule(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve: GraphQLFieldResolver<unknown, GraphQLContext> = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context: GraphQLContext, info) => {
      if (!policies.mayCallMutation(context.viewer, info.fieldName)) throw apiTokenRefused(info.fieldName);
      return resolve(source, args, context, info);
    };
  }
  return schema;
}
