import type { TestServer } from './test-server';
import { must } from './must';

/** The tables the foundation writes; a failed request must leave every count unchanged. */
const FOUNDATION_TABLES = ['users', 'workspaces', 'memberships', 'sessions', 'api_tokens', 'audit_events'] as const;

/** Row counts per table, read straight from the server's database. */
export async function countRows(server: TestServer, tables: readonly string[] = FOUNDATION_TABLES): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = (await server.app.dataSource.query(`SELECT count(*)::int AS count FROM "${table}"`)) as Array<{ count: number }>;
    counts[table] = must(row, `the count of ${table}`).count;
  }
  return counts;
}
