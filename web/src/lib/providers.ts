import { describeKeyResolution, getProvider, isProviderId, PROVIDER_IDS, type KeyResolution, type ProviderDefinition, type ProviderId } from '@byok/shared';
import type { KeySource, KeySourceReason, Provider } from '../generated/graphql';

/** Providers in registry order; screens iterate this, never a hard-coded list. */
export const PROVIDER_LIST: readonly ProviderDefinition[] = PROVIDER_IDS.map((id) => getProvider(id));

/** The registry entry for a GraphQL Provider value (the enum is generated from the same registry). */
export function providerOf(provider: Provider | string): ProviderDefinition | null {
  return isProviderId(provider) ? getProvider(provider) : null;
}

/** The key prefixes for a hint ("sk-" or "sk-ant-"), or null when the provider's keys have none (Mistral). */
export function keyPrefixHint(definition: ProviderDefinition): string | null {
  return definition.keyPrefixes.length > 0 ? definition.keyPrefixes.join(' or ') : null;
}

export function providerLabel(provider: Provider | string): string {
  return providerOf(provider)?.label ?? provider;
}

/** Rebuilds the shared resolution from what the API reports, to reuse its plain-English sentence. */
export function describeSource(entry: { provider: Provider | string; source: KeySource; sourceReason: KeySourceReason | null; byokEnabled: boolean }): string {
  const { source, byokEnabled } = entry;
  let resolution: KeyResolution;
  if (source === 'WORKSPACE') resolution = { source: 'WORKSPACE' };
  else if (source === 'GLOBAL')
    resolution = {
      source: 'GLOBAL',
      reason:
        entry.sourceReason === 'NO_WORKSPACE_KEY' || entry.sourceReason === 'BYOK_DISABLED'
          ? entry.sourceReason
          : byokEnabled
            ? 'NO_WORKSPACE_KEY'
            : 'BYOK_DISABLED',
    };
  else
    resolution = {
      source: 'NONE',
      reason:
        entry.sourceReason === 'NO_KEY_CONFIGURED' || entry.sourceReason === 'BYOK_DISABLED_AND_NO_GLOBAL_KEY'
          ? entry.sourceReason
          : byokEnabled
            ? 'NO_KEY_CONFIGURED'
            : 'BYOK_DISABLED_AND_NO_GLOBAL_KEY',
    };
  return describeKeyResolution(resolution, providerLabel(entry.provider));
}

export function asProvider(id: ProviderId): Provider {
  return id;
}
