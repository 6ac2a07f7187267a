import type { Express } from 'express';
import { registerCompletionStreamRoute } from '../modules/ai/completion-stream.route';
import { registerUsageExportRoute } from '../modules/usage/usage-export.route';
import type { Services } from '../services';

/** Plain-HTTP routes beside /graphql (e.g. the streaming completion endpoint). */
export function registerHttpRoutes(app: Express, services: Services): void {
  // Routes are added by their modules.
  registerCompletionStreamRoute(app, services);
  registerUsageExportRoute(app, services);
}
