import { PROVIDER_IDS, getProvider, type ProviderId } from '../providers/index.js';

/** The longest of the provider's key prefixes that the key starts with, if any. */
export function findKeyPrefix(provider: ProviderId, key: string): string | undefined {
  let match: string | undefined;
  for (const prefix of getProvider(provider).keyPrefixes) {
    if (key.startsWith(prefix) && prefix.length > (match?.length ?? 0)) {
      match = prefix;
    }
  }
  return match;
}

/**
 * Another provider whose prefix fits the key more specifically than this provider's own does,
 * e.g. 'sk-ant-…' offered as an OpenAI key (it does start with OpenAI's 'sk-').
 */
export function findLookalikeProvider(provider: ProviderId, key: string): ProviderId | undefined {
  const ownLength = findKeyPrefix(provider, key)?.length ?? 0;
  let best: { id: ProviderId; length: number } | undefined;
  for (const other of PROVIDER_IDS) {
    if (other === provider) continue;
    const length = findKeyPrefix(other, key)?.length ?? 0;
    if (length > ownLength && length > (best?.length ?? 0)) {
      best = { id: other, length };
    }
  }
  return best?.id;
}
