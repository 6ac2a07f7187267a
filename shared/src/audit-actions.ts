/** What an audit action means to a reader. Every action must have one: a new action without it does not compile. */
export interface AuditActionDefinition {
  /** How the audit log screens name the action. */
  label: string;
}

/**
 * Every action the server writes to the audit log, with its wording. The `AuditAction` union is derived from
 * these keys, so the server cannot record an action the screens have no label for.
 */
export const AUDIT_ACTIONS = {
  INTEGRATION_BYOK_ENABLED: { label: 'Custom keys turned on' },
  INTEGRATION_BYOK_DISABLED: { label: 'Custom keys turned off' },
  GLOBAL_KEY_SET: { label: 'Platform key set' },
  GLOBAL_KEY_CLEARED: { label: 'Platform key cleared' },
  GLOBAL_KEY_VERIFIED: { label: 'Platform key verified' },
  WORKSPACE_KEY_SET: { label: 'Workspace key added' },
  WORKSPACE_KEY_REPLACED: { label: 'Workspace key replaced' },
  WORKSPACE_KEY_REMOVED: { label: 'Workspace key removed' },
  WORKSPACE_KEY_VERIFIED: { label: 'Workspace key verified' },
  WORKSPACE_CREATED: { label: 'Workspace created' },
  MEMBER_ADDED: { label: 'Member added' },
  MEMBER_REMOVED: { label: 'Member removed' },
  WORKSPACE_KEY_INVALID: { label: 'Workspace key rejected by the provider' },
  GLOBAL_KEY_INVALID: { label: 'Platform key rejected by the provider' },
  PLATFORM_KEY_BUDGET_SET: { label: 'Platform-key cap set' },
  PLATFORM_KEY_BUDGET_THRESHOLD: { label: 'Platform-key cap threshold crossed' },
  WEBHOOK_CREATED: { label: 'Webhook added' },
  WEBHOOK_DELETED: { label: 'Webhook removed' },
  WORKSPACE_RATE_LIMIT_SET: { label: 'Rate limit set' },
  PLATFORM_KEY_MODELS_SET: { label: 'Platform-key models set' },
  API_TOKEN_CREATED: { label: 'API token created' },
  API_TOKEN_REVOKED: { label: 'API token revoked' },
} as const satisfies Record<string, AuditActionDefinition>;

/** An action recorded in the audit log. */
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** The actions in display order (the order of AUDIT_ACTIONS). */
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

/** Narrows an action read from the audit log (old rows may hold actions no longer written). */
export const isAuditAction = (value: unknown): value is AuditAction => typeof value === 'string' && Object.hasOwn(AUDIT_ACTIONS, value);

/** The label of an action, or the action itself when it is not (or no longer) known. */
export const auditActionLabel = (action: string): string => (isAuditAction(action) ? AUDIT_ACTIONS[action].label : action);
