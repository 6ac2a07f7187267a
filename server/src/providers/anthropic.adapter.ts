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
  stream: anthropicStream,
};
