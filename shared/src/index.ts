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
  describeKeyResolution,
  isWorkspaceKeyActive,
  resolveProviderKey,
  type KeyResolution,
  type KeyResolutionInput,
  type KeySource,
} from './key-resolution/resolve-provider-key.js';
export { MOVE_OUTCOMES, type MoveOutcome } from './key-resolution/move-outcome.js';
export { KEY_MAX_LENGTH, KEY_MIN_LENGTH, checkKeyFormat, type KeyFormatProblem, type KeyFormatResult } from './api-keys/key-format.js';
export { findMaskPrefix, maskKey } from './api-keys/mask.js';
export { normalizePastedKey } from './api-keys/normalize.js';
export { fingerprintFromSha256, fingerprintKey } from './api-keys/fingerprint.js';
export { sha256Hex } from './api-keys/sha256.js';
export { PRICE_TABLE, estimateCostMicroUsd, formatMicroUsd, type ModelPrice, type PriceOverrides } from './pricing/price-table.js';
export { ERROR_CODES, ERROR_EXPLANATIONS, fixerFor, isErrorCode, type ErrorCode, type ErrorExplanation, type ErrorFixer } from './errors.js';
export {
  BUDGET_THRESHOLD_PERCENTS,
  EVENT_TYPES,
  TEST_EVENT_TYPE,
  budgetPeriodStart,
  isEventType,
  type BudgetThresholdPercent,
  type EventType,
} from './events/event-types.js';
export { fixHintFor, readerRoleOf, type FixHint, type FixPlace, type Reader, type ReaderRole } from './role-wording.js';
export { keyHealthProblem, type KeyHealthInput, type KeyHealthProblem } from './key-health-wording.js';
