/**
 * Leak sweep (R5). Every key a test stores is a canary: a valid-looking key carrying a unique random
 * marker. After the tests, no canary — raw, base64, base64url or hex, whole key or marker — may appear in
 * any response, any log line, or any text/json/bytea column of any table (the ciphertext column excepted).
 * The fake providers' recorded requests are deliberately not swept: they legitimately carry the keys.
 */
import { randomBytes } from 'node:crypto';
import { PROVIDERS, type ProviderId } from '@byok/shared';
import type { TestServer } from './test-server';

export interface Canary {
  provider: ProviderId;
  key: string;
  /** The random part, unique to this canary; never shown in a mask. */
  marker: string;
}

const registered: Canary[] = [];

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomText = (length: number): string => Array.from(randomBytes(length), (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');

/** A fresh, valid-format key for `provider` with a recognisable marker, registered for the sweep. */
export function canaryKey(provider: ProviderId): string {
  const marker = `canary${randomBytes(8).toString('hex')}`;
  // A random tail after the marker: the mask's last 4 characters never overlap the marker.
  const key = `${PROVIDERS[provider].keyPrefixes[0] ?? ''}${marker}${randomText(24)}`;
  registered.push({ provider, key, marker });
  return key;
}

/** Registers a secret that is not a canary key (e.g. an environment key) so the sweep looks for it too. */
export function registerSecret(provider: ProviderId, key: string): void {
  registered.push({ provider, key, marker: key });
}

export function registeredCanaries(): readonly Canary[] {
  return registered;
}

interface Needle {
  text: string;
  form: string;
  marker: string;
  caseInsensitive: boolean;
}

function needlesFor(canaries: readonly Canary[]): Needle[] {
  const needles: Needle[] = [];
  for (const { key, marker } of canaries) {
    const bytes = Buffer.from(key, 'utf8');
    needles.push(
      { text: key, form: 'raw', marker, caseInsensitive: false },
      { text: marker, form: 'marker', marker, caseInsensitive: false },
      { text: bytes.toString('base64').replace(/=+$/, ''), form: 'base64', marker, caseInsensitive: false },
      { text: bytes.toString('base64url'), form: 'base64url', marker, caseInsensitive: false },
      { text: bytes.toString('hex'), form: 'hex', marker, caseInsensitive: true },
      { text: Buffer.from(marker, 'utf8').toString('hex'), form: 'hex(marker)', marker, caseInsensitive: true },
    );
  }
  return needles;
}

export interface Leak {
  where: string;
  form: string;
  /** The canary's marker (not the key), to identify it. */
  marker: string;
}

/** Every canary occurrence in one piece of text. */
export function findLeaks(text: string, where: string, canaries: readonly Canary[] = registered): Leak[] {
  const lower = text.toLowerCase();
  return needlesFor(canaries)
    .filter((needle) => (needle.caseInsensitive ? lower.includes(needle.text.toLowerCase()) : text.includes(needle.text)))
    .map((needle) => ({ where, form: needle.form, marker: needle.marker }));
}

export interface LeakSources {
  logs: readonly string[];
  responses: readonly string[];
  /** Anything that runs SQL on the test database: the server's DataSource, or a transaction's EntityManager. */
  database: { query(sql: string, parameters?: unknown[]): Promise<unknown> };
}

export const leakSourcesOf = (server: TestServer): LeakSources => ({ logs: server.logs, responses: server.responses, database: server.app.dataSource });

// The one column allowed to hold (encrypted) key material.
const EXEMPT_COLUMNS = new Set(['provider_keys.ciphertext']);
const SWEPT_TYPES = ['text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'xml', 'USER-DEFINED'];

async function databaseLeaks(database: LeakSources['database'], canaries: readonly Canary[]): Promise<Leak[]> {
  const columns = (await database.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type = ANY($1) ORDER BY table_name, ordinal_position`,
    [SWEPT_TYPES],
  )) as Array<{ table_name: string; column_name: string; data_type: string }>;
  const byTable = new Map<string, Array<{ column: string; type: string }>>();
  for (const row of columns) {
    if (EXEMPT_COLUMNS.has(`${row.table_name}.${row.column_name}`)) continue;
    const list = byTable.get(row.table_name) ?? [];
    list.push({ column: row.column_name, type: row.data_type });
    byTable.set(row.table_name, list);
  }
  const leaks: Leak[] = [];
  for (const [table, tableColumns] of byTable) {
    const select = tableColumns.map(({ column, type }, index) => `${type === 'bytea' ? `"${column}"` : `"${column}"::text`} AS c${index}`).join(', ');
    const rows = (await database.query(`SELECT ${select} FROM "${table}"`)) as Array<Record<string, unknown>>;
    rows.forEach((row, rowIndex) => {
      tableColumns.forEach(({ column }, index) => {
        const value = row[`c${index}`];
        if (value === null || value === undefined) return;
        // bytea: look at the bytes as text and as hex, so a key stored raw or encoded is found either way.
        const text = Buffer.isBuffer(value) ? `${value.toString('latin1')}\n${value.toString('hex')}` : String(value);
        leaks.push(...findLeaks(text, `database ${table}.${column} (row ${rowIndex})`, canaries));
      });
    });
  }
  return leaks;
}

/** Every canary occurrence in the server's responses, logs and database. */
export async function collectLeaks(sources: TestServer | LeakSources, canaries: readonly Canary[] = registered): Promise<Leak[]> {
  const resolved: LeakSources = 'app' in sources ? leakSourcesOf(sources) : sources;
  const leaks: Leak[] = [];
  resolved.responses.forEach((text, index) => leaks.push(...findLeaks(text, `response #${index}`, canaries)));
  resolved.logs.forEach((line, index) => leaks.push(...findLeaks(line, `log line #${index}`, canaries)));
  leaks.push(...(await databaseLeaks(resolved.database, canaries)));
  return leaks;
}

/** Fails when any registered canary leaked. The message names where and in which form, never the key. */
export async function assertNoLeaks(sources: TestServer | LeakSources, canaries: readonly Canary[] = registered): Promise<void> {
  if (canaries.length === 0) throw new Error('assertNoLeaks: no canaries were registered, so the sweep would prove nothing');
  const leaks = await collectLeaks(sources, canaries);
  if (leaks.length > 0) {
    const summary = leaks
      .slice(0, 20)
      .map((leak) => `${leak.where}: ${leak.form} of ${leak.marker.slice(0, 14)}…`)
      .join('\n  ');
    throw new Error(`Leak sweep found ${leaks.length} canary occurrence(s):\n  ${summary}`);
  }
}

/**
 * Runs the leak sweep, then always the clean-ups: a failed sweep fails the suite instead of leaving servers
 * open (which would hang jest).
 */
export async function sweepThenClose(target: Parameters<typeof assertNoLeaks>[0], ...cleanups: Array<() => Promise<unknown>>): Promise<void> {
  try {
    await assertNoLeaks(target);
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}
