import { EVENT_TYPES, NOTICE_SEVERITIES } from '@byok/shared';
import { registerEnumType } from 'type-graphql';
import { enumObject } from '../../graphql/enums';

// Generated from the shared list (SPEC §7 names it WebhookEventType): one definition for webhooks and notices.
export const WebhookEventType = enumObject(EVENT_TYPES);
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'KEY_INVALID: a key became INVALID; BUDGET_THRESHOLD: a workspace crossed 80% or 100% of its cap; BYOK_TOGGLED: BYOK switched for a provider',
});

export const NoticeSeverity = enumObject(NOTICE_SEVERITIES);
export type NoticeSeverity = (typeof NOTICE_SEVERITIES)[number];
registerEnumType(NoticeSeverity, { name: 'NoticeSeverity' });
