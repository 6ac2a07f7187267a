/**
 * The scale benchmark (bench/usage-scale.ts) as CI runs it: a small seeded version, so the seeding SQL, the
 * report queries through GraphQL and the rollups-on/off write rounds keep working. Asserts correctness only
 * (every report total equals the raw rows); the timings are printed, never asserted.
 */
import { runUsageBench } from '../../../bench/usage-scale';

jest.setTimeout(300_000);

it('bench:usage with 20,000 rows: every report equals SUM/COUNT over the raw rows, and it prints the timings', async () => {
  const lines: string[] = [];
  const result = await runUsageBench({ rows: 20_000, workspaces: 50, days: 30, runs: 1, writeRows: 300, writeRounds: 1, print: (line) => lines.push(line) });
  expect(result.mismatches).toEqual([]);
  expect(Object.keys(result.medians)).toEqual([
    'usageReport (whole days)',
    'platformUsage (whole days)',
    'Workspace.usage (whole days)',
    'usageReport (partial edge days)',
    'platformUsage (partial edge days)',
    'Workspace.usage (partial edge days)',
  ]);
  expect(result.writeRowsPerSecond.rollupsOn).toBeGreaterThan(0);
  expect(result.writeRowsPerSecond.rollupsOff).toBeGreaterThan(0);
  expect(lines.join('\n')).toMatch(/seeded in \d+ s: 20,000 raw rows/);
});
