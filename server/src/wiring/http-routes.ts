import type { Express } from 'express';
import { registerCompletionStreamRoute } from '../modules/ai/completion-stream.route';
import { registerUsageExportRoute } from '../modules/usage/usage-export.route';
import type { Services } from './services';

/** Plain-HTTP routes beside /graphql (e.g. the streaming completion endpoint), each given what it needs. */
export function registerHttpRoutes(app: Express, services: Services): void {
  const { auth, ai, logger, workspaces, usage, dataSource } = services;
  registerCompletionStreamRoute(app, { auth, ai, logger });
  registerUsageExportRoute(app, { auth, workspaces, usage, dataSource, logger });
}
