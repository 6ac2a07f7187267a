import {
  describeKeyResolution,
  getProvider,
  isProviderId,
  keyResolutionFromReport,
  PROVIDER_IDS,
  type ProviderDefinition,
  type ProviderId,
} from '@byok/shared';
import type { KeySource, KeySourceReason, Provider } from '../generated/graphql';

/** Providers in registry order; screens iterate this, never a hard-coded list. */
export const PROVIDER_LIST: readonly ProviderDefinition[] = PROVIDER_IDS.map((id) => getProvider(id));

/** The registry entry for a GraphQL Provider value (the enum is generated from the same registry). */
function providerOf(provider: Provider | string): ProviderDefinition | null {
  return isProviderId(provider) ? getProvider(provider) : null;
}

/** The key prefixes for a hint ("sk-" or "sk-ant-"), or null when the provider's keys have none (Mistral). */
export function keyPrefixHint(definition: ProviderDefinition): string | null {
  return definition.keyPrefixes.length > 0 ? definition.keyPrefixes.join(' or ') : null;
}

export function providerLabel(provider: Provider | string): string {
  return providerOf(provider)?.label ?? provider;
}

/** The shared plain-English sentence for what the API reports about a provider's key source. */
export function describeSource(entry: { provider: Provider | string; source: KeySource; sourceReason: KeySourceReason | null; byokEnabled: boolean }): string {
  return describeKeyResolution(keyResolutionFromReport(entry), providerLabel(entry.provider));
}

export function asProvider(id: ProviderId): Provider {
  return id;
}
