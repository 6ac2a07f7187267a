import { PROVIDER_IDS, getProvider, type ModelPrice, type ProviderId } from '../providers/index.js';

export type { ModelPrice } from '../providers/index.js';

export type PriceOverrides = Partial<Record<string, Partial<Record<string, ModelPrice>>>>;

/** Public list prices in USD per million tokens, gathered from each provider's definition (the only place they are written). */
export const PRICE_TABLE: Readonly<Record<ProviderId, Readonly<Record<string, ModelPrice>>>> = pricesOfEveryProvider();

function pricesOfEveryProvider(): Record<ProviderId, Readonly<Record<string, ModelPrice>>> {
  const table: Partial<Record<ProviderId, Readonly<Record<string, ModelPrice>>>> = {};
  for (const id of PROVIDER_IDS) table[id] = getProvider(id).prices;
  return table as Record<ProviderId, Readonly<Record<string, ModelPrice>>>;
}

// 1 USD per million tokens is exactly 1 micro-USD per token. Prices are scaled by a further
// 1e6 (to pico-USD per token) so that prices like 0.15 become exact integers, and the sum is
// done in BigInt so large token counts cannot lose precision before the single rounding.
const PRICE_SCALE = 1_000_000n;

/**
 * Estimated cost of a call in integer micro-USD. An unknown model is unpriced: with `whenUnpriced: 'HIGHEST'` it is
 * charged at its provider's highest known input and output prices (R20: nothing is free by accident), else 0.
 */
export function estimateCostMicroUsd(args: {
  provider: ProviderId;
  model: string;
  inputTokens: number;
  outputTokens: number;
  overrides?: PriceOverrides;
  whenUnpriced?: 'ZERO' | 'HIGHEST';
}): {
  costMicroUsd: number;
  priced: boolean;
} {
  const inputTokens = toTokenCount(args.inputTokens, 'inputTokens');
  const outputTokens = toTokenCount(args.outputTokens, 'outputTokens');
  const found = findPrice(args.provider, args.model, args.overrides);
  const price = found ?? (args.whenUnpriced === 'HIGHEST' ? highestPrice(args.provider, args.overrides) : undefined);
  if (price === undefined) {
    return { costMicroUsd: 0, priced: false };
  }
  const picoUsd =
    inputTokens * toScaledPrice(price.inputPerMillionUsd, 'inputPerMillionUsd') +
    outputTokens * toScaledPrice(price.outputPerMillionUsd, 'outputPerMillionUsd');
  // Both factors are non-negative, so adding half the divisor before truncating is half-up.
  const micro = (picoUsd + PRICE_SCALE / 2n) / PRICE_SCALE;
  return { costMicroUsd: Number(micro), priced: found !== undefined };
}

/** The highest input and the highest output price of any model of the provider (the table's and the overrides'). */
export function highestPrice(provider: ProviderId, overrides?: PriceOverrides): ModelPrice | undefined {
  const providerOverrides = overrides !== undefined && Object.hasOwn(overrides, provider) ? overrides[provider] : undefined;
  const prices = [...Object.values(PRICE_TABLE[provider]), ...Object.values(providerOverrides ?? {})].filter(
    (price): price is ModelPrice => price !== undefined,
  );
  if (prices.length === 0) return undefined;
  return {
    inputPerMillionUsd: Math.max(...prices.map((price) => price.inputPerMillionUsd)),
    outputPerMillionUsd: Math.max(...prices.map((price) => price.outputPerMillionUsd)),
  };
}

function findPrice(provider: ProviderId, model: string, overrides: PriceOverrides | undefined): ModelPrice | undefined {
  // hasOwn guards against model names like 'constructor' reaching Object.prototype.
  const providerOverrides = overrides !== undefined && Object.hasOwn(overrides, provider) ? overrides[provider] : undefined;
  if (providerOverrides !== undefined && Object.hasOwn(providerOverrides, model)) {
    const override = providerOverrides[model];
    if (override !== undefined) return override;
  }
  const table = PRICE_TABLE[provider];
  return Object.hasOwn(table, model) ? table[model] : undefined;
}

function toTokenCount(value: number, name: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer`);
  }
  return BigInt(value);
}

function toScaledPrice(value: number, name: string): bigint {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative finite number`);
  }
  return BigInt(Math.round(value * Number(PRICE_SCALE)));
}

const MICRO_PER_USD = 1_000_000;

/** Formats micro-USD for display: '$12.35' from $1, '$0.1235' from $0.01, '$0.000150' below. */
export function formatMicroUsd(micro: number): string {
  if (!Number.isFinite(micro)) {
    throw new RangeError('micro must be a finite number');
  }
  const sign = micro < 0 ? '-' : '';
  const amount = Math.round(Math.abs(micro));
  if (amount < 10_000) {
    return `${sign}$${formatFixed(amount, 6)}`;
  }
  // Decide on the rounded value so $0.99999 shows as '$1.00', not '$1.0000'.
  const fourDecimals = roundHalfUp(amount, 100);
  if (fourDecimals < MICRO_PER_USD) {
    return `${sign}$${formatFixed(fourDecimals, 4)}`;
  }
  return `${sign}$${formatFixed(roundHalfUp(amount, 10_000), 2)}`;
}

function roundHalfUp(value: number, unit: number): number {
  return Math.floor((value + unit / 2) / unit) * unit;
}

// Formats from integers so binary floating point never shows up as '0.30000000000000004'.
function formatFixed(micro: number, decimals: number): string {
  const dollars = Math.floor(micro / MICRO_PER_USD);
  const fraction = String(micro % MICRO_PER_USD)
    .padStart(6, '0')
    .slice(0, decimals);
  return `${groupThousands(dollars)}.${fraction}`;
}

function groupThousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
