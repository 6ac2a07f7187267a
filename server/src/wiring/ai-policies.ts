import type { KeyPolicy } from '../modules/ai/ai-pipeline';
import type { PlatformKeyBudgetService } from '../modules/budgets/platform-key-budget.service';
import type { PlatformKeyModelsService } from '../modules/platform-key-models/platform-key-models.service';

// The AI pipeline's key policies, each adapting a module's service to the pipeline's step (ai-pipeline.ts). They
// live here, in the wiring, because the modules they adapt sit below the AI module (budgets → events → keys → ai).

/**
 * R13 as a key policy of the AI pipeline: a request that would spend the platform's key is admitted against the
 * workspace's monthly cap (reserving its most expensive outcome) and settled with its real cost. Own keys are
 * never capped.
 */
export function platformKeyCapPolicy(budgets: Pick<PlatformKeyBudgetService, 'admit'>): KeyPolicy {
  return {
    name: 'platform-key cap',
    admit: (request, key, pricing) =>
      key.source === 'GLOBAL'
        ? budgets.admit(request.workspaceId, request.provider, pricing.costOf(request.reservation), {
            outputMultiplier: request.outputMultiplier,
            request: {
              requestId: request.requestId,
              occurredAt: request.occurredAt,
              userId: request.userId,
              model: request.model,
              reservation: request.reservation,
            },
          })
        : null,
  };
}

/** R21 as a key policy: the platform's key serves only the models an admin allowed the workspace; own keys are never restricted. */
export function platformKeyModelsPolicy(models: Pick<PlatformKeyModelsService, 'assertAllowed'>): KeyPolicy {
  return {
    name: 'platform-key models',
    admit: async (request, key) => {
      if (key.source === 'GLOBAL') await models.assertAllowed(request.workspaceId, request.provider, request.model);
      return null;
    },
  };
}
