import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { ApiTokenType, CreatedApiTokenType } from './api-token.type';

@Resolver()
export class ApiTokensResolver {
  @Authorized()
  @Query(() => [ApiTokenType], { description: "The viewer's API tokens, newest first" })
  async apiTokens(@Ctx() context: GraphQLContext): Promise<ApiTokenType[]> {
    return (await context.services.apiTokens.list(context.viewer!)).map(ApiTokenType.present);
  }

  @Authorized()
  @Mutation(() => CreatedApiTokenType)
  async createApiToken(
    @Arg('name', () => String) name: string,
    @Arg('workspaceId', () => ID, { nullable: true, description: 'Bind the token to this workspace (you must be a member)' }) workspaceId: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<CreatedApiTokenType> {
    const { token, apiToken } = await context.services.apiTokens.create(context.viewer!, name, workspaceId ?? null);
    return { token, apiToken: ApiTokenType.present(apiToken) };
  }

  @Authorized()
  @Mutation(() => Boolean)
  async revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    return context.services.apiTokens.revoke(context.viewer!, id);
  }
}
