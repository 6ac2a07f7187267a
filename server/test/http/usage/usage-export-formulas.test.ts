/**
 * The usage CSV export neutralises text a spreadsheet would run as a formula (CSV injection): every cell that
 * starts with =, +, -, @, a tab or a carriage return is prefixed with a quote. Model names come from callers
 * (any model id reaches the ledger) and workspace names from owners, so both are attacker-controlled.
 */
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { startTestServer, type TestServer } from '../../support/test-server';

const DANGEROUS_PREFIXES = ['=', '+', '-', '@', '\t', '\r'];
const PAYLOAD = 'HYPERLINK("https://evil.example","x")';

let server: TestServer;
let admin: { token: string };
let owner: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'formulas');
  const at = new Date(Date.now() - 3600_000).toISOString();
  for (const prefix of DANGEROUS_PREFIXES) {
    await server.app.dataSource.query(
      `INSERT INTO usage_records (occurred_at, workspace_id, user_id, provider, model, key_source, input_tokens, output_tokens, cost_micro_usd, outcome, latency_ms, streamed)
       VALUES ($1, $2, $3, 'OPENAI', $4, 'GLOBAL', 1, 1, 1, 'OK', 10, false)`,
      [at, owner.workspaceId, owner.id, `${prefix}${PAYLOAD}`],
    );
  }
  await server.app.dataSource.query(`UPDATE workspaces SET name = $2 WHERE id = $1`, [owner.workspaceId, `=${PAYLOAD}`]);
});
afterAll(async () => {
  await server.close();
});

/** The CSV's cells, quoted fields (with commas, quotes, CR or LF inside) read back to their text. */
function cells(csv: string): string[] {
  const found: string[] = [];
  const pattern = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|$)/g;
  for (let match = pattern.exec(csv); match && match[0] !== ''; match = pattern.exec(csv)) {
    const raw = match[1] ?? '';
    found.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
  }
  return found;
}

it.each(DANGEROUS_PREFIXES.map((prefix) => [JSON.stringify(prefix), prefix]))(
  'a model name starting with %s is exported with a leading quote, never as a formula',
  async (_label, prefix) => {
    const from = new Date(Date.now() - 2 * 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const response = await server.fetch(`/api/v1/usage/export.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { auth: admin });
    expect(response.status).toBe(200);
    const exported = cells(response.text);
    expect(exported).toContain(`'${prefix}${PAYLOAD}`);
    expect(exported).not.toContain(`${prefix}${PAYLOAD}`);
    // The workspace name (an owner's text) goes through the same rule.
    expect(exported).toContain(`'=${PAYLOAD}`);
    expect(exported.filter((cell) => DANGEROUS_PREFIXES.some((danger) => cell.startsWith(danger)))).toEqual([]);
  },
);
