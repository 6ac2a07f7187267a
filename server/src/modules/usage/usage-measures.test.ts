import { USAGE_EXPORT_COLUMNS, usageExportFields } from './usage-export.route';
import { addTotals, emptyTotals, microUsdAsUsd, pickTotals, totalsOf, USAGE_CSV_MEASURE_HEADERS, usageCsvMeasureFields } from './usage-measures';

const totals = { requests: 5, failures: 2, cancelled: 1, inputTokens: 300, outputTokens: 70, costMicroUsd: 1_234_567 };

describe('usage measures', () => {
  it('reads a query row by column and adds totals measure by measure', () => {
    const row = { requests: '5', failures: '2', cancelled: '1', input_tokens: '300', output_tokens: '70', cost_micro_usd: '1234567' };
    expect(totalsOf(row)).toEqual(totals);
    const sum = emptyTotals();
    addTotals(sum, totals);
    addTotals(sum, totals);
    expect(sum).toEqual({ requests: 10, failures: 4, cancelled: 2, inputTokens: 600, outputTokens: 140, costMicroUsd: 2_469_134 });
  });

  it('keeps only the measures of a wider row', () => {
    const wider = { ...totals, provider: 'openai' };
    expect(pickTotals(wider)).toEqual(totals);
  });

  it('writes micro-USD as exact dollars', () => {
    expect([0, 12, 1_000_000, 1_234_567, 987_654_321_000, -1_500_000].map(microUsdAsUsd)).toEqual([
      '0.000000',
      '0.000012',
      '1.000000',
      '1.234567',
      '987654.321000',
      '-1.500000',
    ]);
  });

  it('gives the CSV its measure columns in order, the dollar column after the micro-USD one', () => {
    expect(USAGE_CSV_MEASURE_HEADERS).toEqual(['requests', 'input_tokens', 'output_tokens', 'cost_micro_usd', 'cost_usd']);
    expect(usageCsvMeasureFields(totals)).toEqual([5, 300, 70, 1_234_567, '1.234567']);
  });
});

describe('usage CSV columns', () => {
  it('keeps the columns readers know in place and adds the dollar and user columns after them', () => {
    expect(USAGE_EXPORT_COLUMNS).toEqual([
      'date',
      'workspace_id',
      'workspace_name',
      'provider',
      'key_source',
      'model',
      'outcome',
      'requests',
      'input_tokens',
      'output_tokens',
      'cost_micro_usd',
      'cost_usd',
      'user_id',
      'user_email',
    ]);
  });

  it('fills a line in the order of the header', () => {
    const row = {
      date: '2026-11-02',
      workspaceId: 'w-1',
      userId: 'u-1',
      userEmail: 'ada@example.com',
      provider: 'openai',
      keySource: 'GLOBAL',
      model: 'gpt-4o-mini',
      outcome: 'OK',
      ...totals,
    };
    expect(usageExportFields({ row, workspaceName: 'Research' })).toEqual([
      '2026-11-02',
      'w-1',
      'Research',
      'openai',
      'GLOBAL',
      'gpt-4o-mini',
      'OK',
      5,
      300,
      70,
      1_234_567,
      '1.234567',
      'u-1',
      'ada@example.com',
    ]);
    expect(usageExportFields({ row: { ...row, userId: null, userEmail: null }, workspaceName: '' }).slice(-2)).toEqual(['', '']);
  });
});
