import { errorFromResponse, providerFetch } from './provider-http';
import { field, isRecord } from './provider-json';
import type { ProviderCallOptions } from './provider-adapter';

/**
 * GET the provider's model list with its auth headers; OpenAI-style lists answer `{ data: [{ id }] }`.
 * Only the status decides success: an unreadable 2xx body still proves the key was accepted.
 */
export async function listModelsRequest(providerLabel: string, url: string, headers: Record<string, string>, options: ProviderCallOptions): Promise<string[]> {
  const response = await providerFetch(url, { method: 'GET', headers }, options.timeoutMs, options.signal);
  if (!response.ok) throw await errorFromResponse(response, providerLabel);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return [];
  }
  const data = field(body, 'data');
  if (!Array.isArray(data)) return [];
  return data.flatMap((model) => (isRecord(model) && typeof model.id === 'string' ? [model.id] : []));
}
