export {
  PROVIDERS,
  PROVIDER_IDS,
  WIRE_FAMILIES,
  anthropic,
  getProvider,
  isProviderId,
  openai,
  type OpenAiCompatibleEndpoint,
  type ProviderDefinition,
  type ProviderId,
  type WireFamily,
} from './providers/index.js';
export {
  KEY_SOURCES,
  KEY_SOURCE_REASONS,
  describeKeyResolution,
  isKeySource,
  isWorkspaceKeyActive,
  keyResolutionFromReport,
  resolveProviderKey,
  type KeyResolution,
  type KeyResolutionInput,
  type KeySource,
  type KeySourceReason,
} from './key-resolution/resolve-provider-key.js';
export { MOVE_OUTCOMES, type MoveOutcome } from './key-resolution/move-outcome.js';
export { KEY_MAX_LENGTH, KEY_MIN_LENGTH, checkKeyFormat, type KeyFormatProblem, type KeyFormatResult } from './api-keys/key-format.js';
export { findMaskPrefix, maskKey } from './api-keys/mask.js';
export { normalizePastedKey } from './api-keys/normalize.js';
export { fingerprintFromSha256, fingerprintKey } from './api-keys/fingerprint.js';
export { sha256Hex } from './api-keys/sha256.js';
export { PRICE_TABLE, estimateCostMicroUsd, formatMicroUsd, highestPrice, type ModelPrice, type PriceOverrides } from './pricing/price-table.js';
export {
  ERROR_CODES,
  ERROR_EXPLANATIONS,
  ERROR_HTTP,
  fixerFor,
  isErrorCode,
  type ErrorCode,
  type ErrorExplanation,
  type ErrorFixer,
  type ErrorHttpContract,
} from './errors.js';
export {
  BUDGET_THRESHOLD_PERCENTS,
  EVENT_TYPES,
  NOTICE_SEVERITIES,
  WEBHOOK_DELIVERY_STATUSES,
  TEST_EVENT_TYPE,
  budgetPeriodStart,
  isEventType,
  type BudgetThresholdPercent,
  type EventType,
  type NoticeSeverity,
  type WebhookDeliveryStatus,
} from './events/event-types.js';
export { fixHintFor, readerRoleOf, type FixHint, type FixPlace, type Reader, type ReaderRole } from './role-wording.js';
export { keyHealthProblem, type KeyHealthInput, type KeyHealthProblem } from './key-health-wording.js';
export { KEY_ORIGINS, KEY_SCOPES, KEY_STATUSES, type KeyOrigin, type KeyScope, type KeyStatus } from './api-keys/key-record.js';
export { ADMIN_WORKSPACE_FILTERS, WORKSPACE_ROLES, type AdminWorkspaceFilter, type WorkspaceRole } from './workspace-roles.js';
export { AUDIT_OUTCOMES, type AuditOutcome } from './audit-outcomes.js';
export { AUDIT_ACTIONS, AUDIT_ACTION_NAMES, auditActionLabel, isAuditAction, type AuditAction, type AuditActionDefinition } from './audit-actions.js';
export { createServerSentEventParser, formatServerSentEvent, type ServerSentEvent, type ServerSentEventParser } from './streaming/server-sent-events.js';
export {
  COMPLETION_STREAM_EVENTS,
  COMPLETION_STREAM_PATH,
  formatCompletionStreamEvent,
  isCompletionStreamEvent,
  readCompletionStreamEvent,
  type CompletionStreamDone,
  type CompletionStreamError,
  type CompletionStreamEvent,
  type CompletionStreamMessage,
  type CompletionStreamPayloads,
  type PayingKeySource,
} from './streaming/completion-stream.js';
