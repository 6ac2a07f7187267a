import { EVENT_TYPES, type EventType } from '@byok/shared';
import { registerEnumType } from 'type-graphql';

// Generated from the shared list (SPEC §7 names it WebhookEventType): one definition for webhooks and notices.
export const WebhookEventType = Object.fromEntries(EVENT_TYPES.map((type) => [type, type])) as { [K in EventType]: K };
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'KEY_INVALID: a key became INVALID; BUDGET_THRESHOLD: a workspace crossed 80% or 100% of its cap; BYOK_TOGGLED: BYOK switched for a provider',
});

export enum NoticeSeverity {
  INFO = 'INFO',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}
registerEnumType(NoticeSeverity, { name: 'NoticeSeverity' });
