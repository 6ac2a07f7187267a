import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { CompletionInput } from './completion.input';
import { CompletionType } from './completion.type';

@Resolver()
export class AiResolver {
  @Authorized()
  @Mutation(() => CompletionType, {
    description:
      "Sends a chat completion with the key the workspace's settings choose (members and the owner). Tokens as they arrive: see the README's streaming endpoint.",
  })
  async complete(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('input', () => CompletionInput) input: CompletionInput,
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
      return CompletionType.present(await context.services.ai.complete(workspaceId, context.viewer, input, controller.signal));
    } finally {
      response?.off('close', onClose);
    }
  }
}
