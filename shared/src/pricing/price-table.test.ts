import { PROVIDER_IDS, getProvider } from '../providers/index.js';
import { PRICE_TABLE, estimateCostMicroUsd, formatMicroUsd, highestPrice } from './price-table.js';

describe('PRICE_TABLE', () => {
  it.each(PROVIDER_IDS)('prices every %s model offered in the Playground', (provider) => {
    for (const model of getProvider(provider).models) {
      expect(PRICE_TABLE[provider][model]).toBeDefined();
    }
  });
});

describe('estimateCostMicroUsd', () => {
  it.each([
    // 1 USD per million tokens = 1 micro-USD per token.
    ['OPENAI', 'gpt-4o-mini', 1_000_000, 1_000_000, 750_000],
    ['OPENAI', 'gpt-4o-mini', 1000, 500, 450],
    ['OPENAI', 'gpt-4o', 1234, 567, 8755],
    ['OPENAI', 'gpt-4.1-mini', 100, 100, 200],
    ['OPENAI', 'gpt-4.1', 10, 10, 100],
    ['ANTHROPIC', 'claude-3-5-haiku-latest', 1000, 1000, 4800],
    ['ANTHROPIC', 'claude-sonnet-4-20250514', 1, 1, 18],
    ['ANTHROPIC', 'claude-opus-4-20250514', 2000, 1000, 105_000],
    ['OPENAI', 'gpt-4o', 0, 0, 0],
  ] as const)('%s %s %i in / %i out → %i', (provider, model, inputTokens, outputTokens, expected) => {
    expect(estimateCostMicroUsd({ provider, model, inputTokens, outputTokens })).toEqual({
      costMicroUsd: expected,
      priced: true,
    });
  });

  it('rounds half up once, on the total', () => {
    // 3 × 0.15 + 4 × 0.6 = 0.45 + 2.4 = 2.85 → 3; rounding each part first would give 0 + 2.
    expect(cost('gpt-4o-mini', 3, 4)).toBe(3);
    expect(cost('gpt-4o-mini', 3, 0)).toBe(0);
    // 10 × 0.15 = 1.5 → 2: halves go up.
    expect(cost('gpt-4o-mini', 10, 0)).toBe(2);
    // 2 × 0.15 + 12 × 0.6 = 7.5 → 8, where float arithmetic gives 7.499999999999999 → 7.
    expect(cost('gpt-4o-mini', 2, 12)).toBe(8);
  });

  it('stays exact for token counts where floats would drift', () => {
    const tokens = Number.MAX_SAFE_INTEGER;
    // 0.15 × (2^53 − 1) = 1351079888211148.55 → …149
    expect(cost('gpt-4o-mini', tokens, 0)).toBe(1_351_079_888_211_149);
  });

  it('reports an unknown model as unpriced with zero cost', () => {
    expect(
      estimateCostMicroUsd({
        provider: 'OPENAI',
        model: 'gpt-unknown',
        inputTokens: 10,
        outputTokens: 10,
      }),
    ).toEqual({ costMicroUsd: 0, priced: false });
    // A model from another provider is unknown here.
    expect(cost('claude-opus-4-20250514', 10, 10)).toBeNull();
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('does not treat %j as a model', (model) => {
    expect(cost(model, 10, 10)).toBeNull();
    expect(
      estimateCostMicroUsd({
        provider: 'OPENAI',
        model,
        inputTokens: 10,
        outputTokens: 10,
        overrides: {},
      }).priced,
    ).toBe(false);
  });

  it('lets overrides win over the table and add models', () => {
    const overrides = {
      OPENAI: {
        'gpt-4o': { inputPerMillionUsd: 1, outputPerMillionUsd: 2 },
        'my-fine-tune': { inputPerMillionUsd: 3, outputPerMillionUsd: 4 },
      },
    };
    const estimate = (model: string) =>
      estimateCostMicroUsd({
        provider: 'OPENAI',
        model,
        inputTokens: 10,
        outputTokens: 10,
        overrides,
      });
    expect(estimate('gpt-4o')).toEqual({ costMicroUsd: 30, priced: true });
    expect(estimate('my-fine-tune')).toEqual({ costMicroUsd: 70, priced: true });
    // Models without an override keep their list price.
    expect(estimate('gpt-4o-mini')).toEqual({ costMicroUsd: 8, priced: true });
    // Overrides for one provider do not leak into another.
    expect(
      estimateCostMicroUsd({
        provider: 'ANTHROPIC',
        model: 'my-fine-tune',
        inputTokens: 10,
        outputTokens: 10,
        overrides,
      }),
    ).toEqual({ costMicroUsd: 0, priced: false });
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])('rejects a token count of %p', (tokens) => {
    expect(() => cost('gpt-4o', tokens, 0)).toThrow(RangeError);
    expect(() => cost('gpt-4o', 0, tokens)).toThrow(RangeError);
  });

  it('rejects a negative or non-finite override price', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() =>
        estimateCostMicroUsd({
          provider: 'OPENAI',
          model: 'gpt-4o',
          inputTokens: 1,
          outputTokens: 1,
          overrides: { OPENAI: { 'gpt-4o': { inputPerMillionUsd: bad, outputPerMillionUsd: 1 } } },
        }),
      ).toThrow(RangeError);
    }
  });
});

/** Cost of an OpenAI-table call, or null when unpriced. */
function cost(model: string, inputTokens: number, outputTokens: number): number | null {
  const result = estimateCostMicroUsd({ provider: 'OPENAI', model, inputTokens, outputTokens });
  return result.priced ? result.costMicroUsd : null;
}

describe('formatMicroUsd', () => {
  it.each([
    [0, '$0.000000'],
    [1, '$0.000001'],
    [150, '$0.000150'],
    [9_999, '$0.009999'],
    [10_000, '$0.0100'],
    [10_049, '$0.0100'],
    [10_050, '$0.0101'],
    [123_456, '$0.1235'],
    [999_949, '$0.9999'],
    [999_950, '$1.00'],
    [1_000_000, '$1.00'],
    [12_345_000, '$12.35'],
    [12_344_999, '$12.34'],
    [1_234_567_890, '$1,234.57'],
    [-150, '-$0.000150'],
  ])('%i → %s', (micro, expected) => {
    expect(formatMicroUsd(micro)).toBe(expected);
  });

  it('rejects non-finite amounts', () => {
    expect(() => formatMicroUsd(Number.NaN)).toThrow(RangeError);
  });
});

describe('an unpriced model (R20: nothing free by accident)', () => {
  it('is free only when asked: ZERO by default, the provider’s highest known prices with HIGHEST', () => {
    const usage = { provider: 'OPENAI' as const, model: 'o9-unlisted', inputTokens: 1_000_000, outputTokens: 1_000_000 };
    expect(estimateCostMicroUsd(usage)).toEqual({ costMicroUsd: 0, priced: false });
    const highest = must(highestPrice('OPENAI'));
    const charged = estimateCostMicroUsd({ ...usage, whenUnpriced: 'HIGHEST' });
    expect(charged.priced).toBe(false);
    expect(charged.costMicroUsd).toBe(Math.round((highest.inputPerMillionUsd + highest.outputPerMillionUsd) * 1_000_000));
    // The highest input and output prices of the table: no listed model costs more.
    for (const price of Object.values(PRICE_TABLE.OPENAI)) {
      expect(price.inputPerMillionUsd).toBeLessThanOrEqual(highest.inputPerMillionUsd);
      expect(price.outputPerMillionUsd).toBeLessThanOrEqual(highest.outputPerMillionUsd);
    }
  });

  it('an override counts among the known prices', () => {
    const overrides = { OPENAI: { 'my-fine-tune': { inputPerMillionUsd: 9999, outputPerMillionUsd: 1 } } };
    expect(must(highestPrice('OPENAI', overrides)).inputPerMillionUsd).toBe(9999);
  });
});

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing');
  return value;
}
