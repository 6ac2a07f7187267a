import type { TestServer } from './test-server';

/** The shortest piece of a key that counts as a leak (as the server's scrubber counts it). */
export const FRAGMENT = 8;

/** Every 8-character piece of every spelling of `key`: raw (so also without prefix), URL-encoded, base64 at each alignment. */
export function keyPieces(key: string): string[] {
  const everyByte = [...Buffer.from(key)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const spellings = [key, encodeURIComponent(key), everyByte, everyByte.toLowerCase()];
  for (let offset = 0; offset < 3; offset += 1) {
    const bytes = Buffer.from(key.slice(offset));
    spellings.push(bytes.toString('base64'), bytes.toString('base64url'));
  }
  const pieces: string[] = [];
  for (const spelling of spellings) for (let index = 0; index + FRAGMENT <= spelling.length; index += 1) pieces.push(spelling.slice(index, index + FRAGMENT));
  return pieces;
}

/** Where any of `pieces` occurs: every response, every log line, every text-like column of every table. */
export async function piecesFound(server: TestServer, pieces: Set<string>): Promise<string[]> {
  const found: string[] = [];
  const look = (text: string, where: string): void => {
    for (let index = 0; index + FRAGMENT <= text.length; index += 1) {
      if (pieces.has(text.slice(index, index + FRAGMENT))) {
        found.push(where);
        return;
      }
    }
  };
  server.responses.forEach((text, index) => look(text, `response #${index}`));
  server.logs.forEach((line, index) => look(line, `log line #${index}`));
  const columns = (await server.app.dataSource.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')`,
  )) as Array<{ table_name: string; column_name: string }>;
  for (const { table_name: table, column_name: column } of columns) {
    if (`${table}.${column}` === 'provider_keys.ciphertext') continue;
    const rows = (await server.app.dataSource.query(`SELECT "${column}"::text AS value FROM "${table}" WHERE "${column}" IS NOT NULL`)) as Array<{
      value: string;
    }>;
    rows.forEach((row, index) => look(row.value, `database ${table}.${column} (row ${index})`));
  }
  return found;
}
