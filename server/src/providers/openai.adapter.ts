import { PROVIDERS } from '@byok/shared';
import { listModelsRequest } from './list-models';
import { openaiComplete, openaiStream } from './openai.chat';
import type { ProviderAdapter } from './provider-adapter';

export const openaiAdapter: ProviderAdapter = {
  listModels: (options) => listModelsRequest(PROVIDERS.OPENAI.label, { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' }, options),
  complete: openaiComplete,
  passthrough: {
    paths: { OPENAI_CHAT: '/v1/chat/completions' },
    headers: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  },
  stream: openaiStream,
};
