import { PROVIDERS } from '@byok/shared';
import { anthropicComplete, anthropicStream } from './anthropic.chat';
import { listModelsRequest } from './list-models';
import type { ProviderAdapter } from './provider-adapter';

/** The API version every Anthropic request must name. */
export const ANTHROPIC_VERSION = '2023-06-01';

export const anthropicAdapter: ProviderAdapter = {
  listModels: (options) =>
    listModelsRequest(PROVIDERS.ANTHROPIC.label, { 'x-api-key': options.apiKey, 'anthropic-version': ANTHROPIC_VERSION, accept: 'application/json' }, options),
  complete: anthropicComplete,
  passthrough: {
    paths: { ANTHROPIC_MESSAGES: '/v1/messages' },
    // The client's API version and beta flags shape the answer it expects, so they go through.
    headers: (apiKey, incoming) => {
      const version = incoming['anthropic-version'];
      const beta = incoming['anthropic-beta'];
      return {
        'x-api-key': apiKey,
        'anthropic-version': typeof version === 'string' && version !== '' ? version : ANTHROPIC_VERSION,
        ...(typeof beta === 'string' && beta !== '' ? { 'anthropic-beta': beta } : {}),
      };
    },
  },
  stream: anthropicStream,
};
