/** Key-health and cost events (SPEC §7 R14): audited, shown as notices, delivered to webhooks. */
export const EVENT_TYPES = ['KEY_INVALID', 'BUDGET_THRESHOLD', 'BYOK_TOGGLED'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Narrows untrusted text to an event type. */
export const isEventType = (value: unknown): value is EventType => typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);

/** How urgent a notice is. */
export const NOTICE_SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type NoticeSeverity = (typeof NOTICE_SEVERITIES)[number];

/** A webhook delivery: not acknowledged yet, answered 2xx, or given up after the last attempt. */
export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** The share of a monthly cap (in percent) at which a BUDGET_THRESHOLD event fires, once per month each. */
export const BUDGET_THRESHOLD_PERCENTS = [80, 100] as const;
export type BudgetThresholdPercent = (typeof BUDGET_THRESHOLD_PERCENTS)[number];

/** The webhook body's `type` for the admin's "send test event" button (not a subscribable event). */
export const TEST_EVENT_TYPE = 'TEST';

/** The UTC calendar month `at` falls in: caps reset when it changes. */
export function budgetPeriodStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}
