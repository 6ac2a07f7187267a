import type { ProviderId } from '@byok/shared';
import { Arg, Authorized, Mutation, Query, Resolver } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { Provider } from '../../graphql/enums';
import { IntegrationChangePreviewType } from './integration-change-preview.type';
import type { IntegrationsService } from './integrations.service';
import { ProviderIntegrationType } from './provider-integration.type';

/** Settings → Integrations: platform admins only. */
@Resolver(() => ProviderIntegrationType)
export class IntegrationsResolver {
  constructor(private readonly integrationsService: IntegrationsService) {}

  @Authorized(AuthRole.ADMIN)
  @Query(() => [ProviderIntegrationType], { description: 'One entry per provider (platform admins only)' })
  async integrations(): Promise<ProviderIntegrationType[]> {
    return (await this.integrationsService.list()).map(ProviderIntegrationType.present);
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
  ): Promise<IntegrationChangePreviewType> {
    return IntegrationChangePreviewType.present(await this.integrationsService.previewChange(provider, { byokEnabled, clearGlobalKey }));
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
    @CurrentViewer() viewer: Viewer,
  ): Promise<ProviderIntegrationType> {
    return ProviderIntegrationType.present(await this.integrationsService.update(viewer, provider, { byokEnabled, globalKey, clearGlobalKey }));
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => ProviderIntegrationType, { description: 'Re-checks the global key in effect with the provider' })
  async verifyGlobalKey(@Arg('provider', () => Provider) provider: ProviderId, @CurrentViewer() viewer: Viewer): Promise<ProviderIntegrationType> {
    return ProviderIntegrationType.present(await this.integrationsService.verifyGlobalKey(viewer, provider));
  }
}
