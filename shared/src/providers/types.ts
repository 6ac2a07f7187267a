/** What the product knows about an AI provider, apart from any secret. */
export interface ProviderDefinition {
  /** GraphQL enum value and stored provider id, e.g. 'OPENAI'. */
  id: string;
  label: string;
  /** Allowed key prefixes, most specific first. */
  keyPrefixes: readonly string[];
  /**
   * Known longer prefixes that a mask may keep (e.g. 'sk-proj-'), most specific first, so an owner can match
   * the mask to their provider dashboard. Optional: without it a mask keeps the matching `keyPrefixes` entry.
   */
  maskPrefixes?: readonly string[];
  /** Where a user creates a key for this provider. */
  docsUrl: string;
  /** No trailing slash and no version path: adapters append their own. */
  defaultBaseUrl: string;
  apiKeyEnvVar: string;
  baseUrlEnvVar: string;
  /** Models offered in the Playground; the first one is the default. */
  models: readonly string[];
}
