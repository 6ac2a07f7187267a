import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { authChecker } from '../auth/auth-checker';
import { ApiTokensResolver } from '../modules/api-tokens/api-tokens.resolver';
import { AuthResolver } from '../modules/auth/auth.resolver';
import { WorkspacesResolver } from '../modules/workspaces/workspaces.resolver';
import './enums';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [AuthResolver, WorkspacesResolver, ApiTokensResolver];

let cached: Promise<GraphQLSchema> | null = null;

/** Built once per process: TypeGraphQL's metadata is global, so rebuilding gains nothing. */
export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    validate: false,
    authMode: 'error',
    // SPEC §3 names the scalar DateTime.
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
  return cached;
}
