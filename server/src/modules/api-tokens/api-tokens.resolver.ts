import { Arg, Authorized, ID, Mutation, Query, Resolver } from 'type-graphql';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import type { ApiTokensService } from './api-tokens.service';
import { ApiTokenType, CreatedApiTokenType } from './api-token.type';

@Resolver()
export class ApiTokensResolver {
  constructor(private readonly apiTokensService: ApiTokensService) {}

  @Authorized()
  @Query(() => [ApiTokenType], { description: "The viewer's API tokens, newest first" })
  async apiTokens(@CurrentViewer() viewer: Viewer): Promise<ApiTokenType[]> {
    return (await this.apiTokensService.list(viewer)).map(ApiTokenType.present);
  }

  @Authorized()
  @Mutation(() => CreatedApiTokenType)
  async createApiToken(
    @Arg('name', () => String) name: string,
    @Arg('workspaceId', () => ID, { nullable: true, description: 'Bind the token to this workspace (you must be a member)' }) workspaceId: string | null,
    @CurrentViewer() viewer: Viewer,
  ): Promise<CreatedApiTokenType> {
    const { token, apiToken } = await this.apiTokensService.create(viewer, name, workspaceId ?? null);
    return { token, apiToken: ApiTokenType.present(apiToken) };
  }

  @Authorized()
  @Mutation(() => Boolean)
  async revokeApiToken(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.apiTokensService.revoke(viewer, id);
  }
}
