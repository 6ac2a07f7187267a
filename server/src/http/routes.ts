import type { Express } from 'express';
import type { Services } from '../services';

/** Plain-HTTP routes beside /graphql (e.g. the streaming completion endpoint). */
export function registerHttpRoutes(_app: Express, _services: Services): void {
  // Routes are added by their modules.
}
