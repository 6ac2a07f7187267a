import type { ProviderId } from '@byok/shared';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import type { GraphQLContext } from '../../graphql/context';
import { Provider } from '../../graphql/enums';
import { IntegrationChangePreviewType } from './integration-change-preview.type';
import { ProviderIntegrationType } from './provider-integration.type';

/** Settings → Integrations: platform admins only. */
@Resolver(() => ProviderIntegrationType)
export class IntegrationsResolver {
  @Authorized(AuthRole.ADMIN)
  @Query(() => [ProviderIntegrationType], { description: 'One entry per provider (platform admins only)' })
  async integrations(@Ctx() context: GraphQLContext): Promise<ProviderIntegrationType[]> {
    return (await context.services.integrations.list()).map(ProviderIntegrationType.present);
  }

  @Authorized(AuthRole.ADMIN)
  @Query(() => IntegrationChangePreviewType, {
    description:
      'Before "Save changes": how many workspaces (and which) would move to their own key, a working platform key, a rejected one, or none if BYOK were switched and/or the stored platform key cleared. Changes nothing.',
  })
  async integrationChangePreview(
    @Arg('provider', () => Provider) provider: ProviderId,
    @Arg('byokEnabled', () => Boolean, { nullable: true }) byokEnabled: boolean | null,
    @Arg('clearGlobalKey', () => Boolean, { nullable: true }) clearGlobalKey: boolean | null,
    @Ctx() context: GraphQLContext,
  ): Promise<IntegrationChangePreviewType> {
    return IntegrationChangePreviewType.present(await context.services.integrations.previewChange(provider, { byokEnabled, clearGlobalKey }));
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => ProviderIntegrationType, {
    description: '"Save changes": toggles BYOK and sets or clears the global key in one step; a new key is verified first and a rejected one changes nothing',
  })
  async updateIntegration(
    @Arg('provider', () => Provider) provider: ProviderId,
    @Arg('byokEnabled', () => Boolean, { nullable: true }) byokEnabled: boolean | null,
    @Arg('globalKey', () => String, { nullable: true }) globalKey: string | null,
    @Arg('clearGlobalKey', () => Boolean, { nullable: true }) clearGlobalKey: boolean | null,
    @Ctx() context: GraphQLContext,
  ): Promise<ProviderIntegrationType> {
    return ProviderIntegrationType.present(await context.services.integrations.update(context.viewer!, provider, { byokEnabled, globalKey, clearGlobalKey }));
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => ProviderIntegrationType, { description: 'Re-checks the global key in effect with the provider' })
  async verifyGlobalKey(@Arg('provider', () => Provider) provider: ProviderId, @Ctx() context: GraphQLContext): Promise<ProviderIntegrationType> {
    return ProviderIntegrationType.present(await context.services.integrations.verifyGlobalKey(context.viewer!, provider));
  }
}
