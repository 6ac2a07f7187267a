import type { ProviderId } from '@byok/shared';
import { Authorized, Field, Int, ObjectType } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import { Provider } from '../../graphql/enums';
import { StoredKeyType } from '../provider-keys/stored-key.type';
import type { IntegrationView } from './integrations.service';

@ObjectType('ProviderIntegration', { description: 'Platform settings for one provider (platform admins only)' })
export class ProviderIntegrationType {
  @Field(() => Provider)
  provider: ProviderId;

  @Field(() => Boolean, { description: 'Whether workspace owners may use their own keys (BYOK)' })
  byokEnabled: boolean;

  @Authorized(AuthRole.ADMIN)
  @Field(() => StoredKeyType, { nullable: true, description: 'The global key in effect: the stored one, else the one from the environment' })
  globalKey: StoredKeyType | null;

  @Field(() => Int, { description: 'Workspaces that have stored their own key: they switch source when BYOK is toggled' })
  workspacesWithCustomKey: number;

  @Field(() => Boolean, { description: 'Whether OPENAI_API_KEY / ANTHROPIC_API_KEY is set (used when no key is stored)' })
  environmentKeyConfigured: boolean;

  static present(view: IntegrationView): ProviderIntegrationType {
    return Object.assign(new ProviderIntegrationType(), {
      provider: view.provider,
      byokEnabled: view.byokEnabled,
      globalKey: view.globalKey ? StoredKeyType.present(view.globalKey) : null,
      workspacesWithCustomKey: view.workspacesWithCustomKey,
      environmentKeyConfigured: view.environmentKeyConfigured,
    });
  }
}
