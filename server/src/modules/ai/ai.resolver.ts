import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../auth/context';
import { OptionalViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import type { AiService } from './ai.service';
import { CompletionInput } from './completion.input';
import { CompletionType } from './completion.type';

@Resolver()
export class AiResolver {
  constructor(private readonly aiService: AiService) {}

  @Authorized()
  @Mutation(() => CompletionType, {
    description:
      "Sends a chat completion with the key the workspace's settings choose (members and the owner). Tokens as they arrive: see the README's streaming endpoint.",
  })
  async complete(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('input', () => CompletionInput) input: CompletionInput,
    @OptionalViewer() viewer: Viewer | null,
    @Ctx() context: GraphQLContext,
  ): Promise<CompletionType> {
    // A client that hangs up stops paying for the provider call too.
    const controller = new AbortController();
    const response = context.res;
    const onClose = (): void => {
      if (response && !response.writableFinished) controller.abort();
    };
    response?.once('close', onClose);
    try {
      return CompletionType.present(await this.aiService.complete(workspaceId, viewer, input, controller.signal));
    } finally {
      response?.off('close', onClose);
    }
  }
}
