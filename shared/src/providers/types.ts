/** What the product knows about an AI provider, apart from any secret. */
export interface ProviderDefinition {
  /** GraphQL enum value and stored provider id, e.g. 'OPENAI'. */
  id: string;
  label: string;
  /** Allowed key prefixes, most specific first. */
  keyPrefixes: readonly string[];
  /** Where a user creates a key for this provider. */
  docsUrl: string;
  /** No trailing slash and no version path: adapters append their own. */
  defaultBaseUrl: string;
  apiKeyEnvVar: string;
  baseUrlEnvVar: string;
  /** Models offered in the Playground; the first one is the default. */
  models: readonly string[];
}
