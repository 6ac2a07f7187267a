import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { trackTestResource, whileStarting } from './test-resources';

export interface TestDatabase {
  url: string;
  kind: 'postgres' | 'embedded';
  drop(): Promise<void>;
}

/** The server under test: a real Postgres when DATABASE_URL is set (CI), else embedded PGlite. */
const externalDatabaseUrl = (): string | null => process.env.DATABASE_URL || null;

/** Each test file gets its own empty database: a fresh one on Postgres, a fresh in-memory PGlite otherwise. */
export function createTestDatabase(): Promise<TestDatabase> {
  return whileStarting(createDatabase());
}

async function createDatabase(): Promise<TestDatabase> {
  const base = externalDatabaseUrl();
  if (!base) {
    const embedded = await startEmbeddedPostgres(null);
    const tracked = trackTestResource('an embedded test database', () => embedded.stop());
    return { url: embedded.url, kind: 'embedded', drop: () => tracked.close() };
  }
  const name = `byok_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const tracked = trackTestResource(`test database ${name}`, async () => {
    const client = new Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });
  return { url: url.toString(), kind: 'postgres', drop: () => tracked.close() };
}
