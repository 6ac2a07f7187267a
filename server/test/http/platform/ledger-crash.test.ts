/**
 * R19 under faults (issue 19): a server process (a real child, `node src/main.ts`) under c=16 gateway load,
 * streamed and not, is
 *   - killed with SIGKILL at random moments, 10 times: every response a client received complete has its ledger
 *     row (0 lost) and no row exists twice;
 *   - stopped with SIGTERM: 0 lost, and every stream that had started finishes;
 *   - cut from its database for 10 s (a TCP proxy in front of it drops every connection and refuses new ones):
 *     exactly one row per provider call that succeeded — none doubled, none missing, every acknowledged request
 *     among them.
 * The figures are printed (and recorded in docs/benchmarks.md).
 */
import net from 'node:net';
import { Agent, request } from 'undici';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { createToken } from '../gateway/gateway-helpers';
import { acceptedKey, setByok, setGlobalKey } from '../ai/ai-helpers';
import { startChildServer } from '../../support/child-server';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { must } from '../../support/must';
import { startTestServer, type TestServer } from '../../support/test-server';

let fakes: FakeProviders;
let server: TestServer;
let owner: TestUser;
let token = '';

beforeAll(async () => {
  fakes = await startFakeProviders({}, { chunkDelayMs: 3 });
  server = await startTestServer({ env: fakes.env });
  const admin = await signInAdmin(server);
  await setByok(server, admin.token, 'OPENAI', true);
  await setGlobalKey(server, admin.token, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
  owner = await signUpUser(server, 'crash');
  token = (await createToken(server, owner.token, owner.workspaceId)).token;
});

afterAll(async () => {
  await server.close();
  await fakes.close();
});

interface LoadResult {
  /** Request ids of answers the client received complete (a JSON body, or a stream up to its [DONE]). */
  acknowledged: string[];
  /** Streams whose headers arrived but that never reached [DONE]. */
  brokenStreams: number;
  attempts: number;
}

/** c workers sending chat completions (every other one streamed) to `url` until `until()` is true. */
async function load(url: string, until: () => boolean, options: { concurrency?: number; words?: number } = {}): Promise<LoadResult> {
  const concurrency = options.concurrency ?? 16;
  // The fake streams one word per piece, 3 ms apart: more words, longer streams.
  const prompt = Array.from({ length: options.words ?? 4 }, (_, index) => `w${index}`).join(' ');
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 10_000 });
  const result: LoadResult = { acknowledged: [], brokenStreams: 0, attempts: 0 };
  const worker = async (index: number): Promise<void> => {
    for (let round = 0; !until(); round += 1) {
      const stream = (index + round) % 2 === 0;
      result.attempts += 1;
      let started = false;
      try {
        const response = await request(`${url}/v1/chat/completions`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: `crash test ${index} ${round} ${prompt}` }] }),
          headersTimeout: 15_000,
          bodyTimeout: 15_000,
        });
        started = response.statusCode === 200 && stream;
        const text = await response.body.text();
        const id = response.headers['x-byok-request-id'];
        const complete = response.statusCode === 200 && (stream ? text.includes('data: [DONE]') : text.includes('"usage"'));
        if (complete && typeof id === 'string') result.acknowledged.push(id);
        else if (started) result.brokenStreams += 1;
      } catch {
        if (started) result.brokenStreams += 1;
        // The process went away (or refused the connection while stopping): not acknowledged, try again.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  await agent.close().catch(() => undefined);
  return result;
}

/** Rows for these request ids, counted: every one must be there exactly once. */
async function rowCounts(ids: string[]): Promise<{ missing: string[]; doubled: string[] }> {
  await server.app.services.usageLedger.flush();
  const rows = (await server.app.dataSource.query(
    `SELECT request_id, count(*)::int AS n FROM usage_records WHERE request_id = ANY($1::uuid[]) GROUP BY request_id`,
    [ids],
  )) as Array<{ request_id: string; n: number }>;
  const counts = new Map(rows.map((row) => [row.request_id, row.n]));
  return { missing: ids.filter((id) => !counts.has(id)), doubled: rows.filter((row) => row.n > 1).map((row) => row.request_id) };
}

async function duplicatesAnywhere(): Promise<number> {
  const [row] = (await server.app.dataSource.query(
    `SELECT count(*)::int AS n FROM (SELECT request_id FROM usage_records GROUP BY request_id HAVING count(*) > 1) AS doubled`,
  )) as Array<{ n: number }>;
  return row?.n ?? 0;
}

const report = (line: string): void => {
  process.stdout.write(`[ledger-crash] ${line}\n`);
};

it('SIGKILL at random moments, 10 times: every acknowledged answer has exactly one row', async () => {
  let acknowledged = 0;
  let attempts = 0;
  for (let kill = 1; kill <= 10; kill += 1) {
    const child = await startChildServer(server.env);
    let stop = false;
    const running = load(child.url, () => stop);
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(Math.random() * 900)));
    await child.kill('SIGKILL');
    stop = true;
    const result = await running;
    const { missing, doubled } = await rowCounts(result.acknowledged);
    expect({ kill, missing, doubled }).toEqual({ kill, missing: [], doubled: [] });
    expect(result.acknowledged.length).toBeGreaterThan(0);
    acknowledged += result.acknowledged.length;
    attempts += result.attempts;
  }
  expect(await duplicatesAnywhere()).toBe(0);
  report(`SIGKILL ×10: ${attempts} requests sent, ${acknowledged} acknowledged, 0 rows lost, 0 doubled`);
}, 600_000);

it('SIGTERM under load: 0 lost, and every stream that started finishes', async () => {
  const child = await startChildServer({ ...server.env, SHUTDOWN_GRACE_SECONDS: '20' });
  let stop = false;
  // Streams of about 150 pieces (half a second): many are in flight when the signal comes.
  const running = load(child.url, () => stop, { words: 150 });
  await new Promise((resolve) => setTimeout(resolve, 800));
  const stopping = child.kill('SIGTERM');
  // Keep sending while it stops: new connections are refused, keep-alive ones get their answer and a close.
  await stopping;
  stop = true;
  const result = await running;
  const { missing, doubled } = await rowCounts(result.acknowledged);
  expect({ missing, doubled, brokenStreams: result.brokenStreams }).toEqual({ missing: [], doubled: [], brokenStreams: 0 });
  expect(result.acknowledged.length).toBeGreaterThan(0);
  expect(await duplicatesAnywhere()).toBe(0);
  report(`SIGTERM: ${result.attempts} requests sent, ${result.acknowledged.length} acknowledged, 0 lost, 0 doubled, 0 streams cut`);
}, 120_000);

it("the database's connections cut for 10 s under load: exactly one row per provider call that succeeded", async () => {
  const target = new URL(server.database.url);
  // A TCP proxy in front of the database: it can drop every connection and refuse new ones.
  const sockets = new Set<net.Socket>();
  let refusing = false;
  const proxy = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  const proxied = new URL(server.database.url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((proxy.address() as net.AddressInfo).port);

  const child = await startChildServer({ ...server.env, DATABASE_URL: proxied.toString(), LEDGER_COMMIT_TIMEOUT_MS: '2000' });
  const callsBefore = fakes.OPENAI.requests.length;
  const since = new Date();
  let stop = false;
  const running = load(child.url, () => stop);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    refusing = true;
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    refusing = false;
    await new Promise((resolve) => setTimeout(resolve, 2500));
  } finally {
    stop = true;
  }
  const result = await running;
  // A graceful stop writes what the ledger still holds.
  await child.kill('SIGTERM');
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  for (const socket of sockets) socket.destroy();

  const succeeded = fakes.OPENAI.requests.slice(callsBefore).filter((call) => call.method === 'POST' && call.responseStatus === 200 && !call.aborted).length;
  await server.app.services.usageLedger.flush();
  const [okRows] = (await server.app.dataSource.query(
    `SELECT count(*)::int AS n FROM usage_records WHERE workspace_id = $1 AND occurred_at >= $2 AND outcome = 'OK'`,
    [owner.workspaceId, since],
  )) as Array<{ n: number }>;
  const { missing, doubled } = await rowCounts(result.acknowledged);
  expect({ missing, doubled }).toEqual({ missing: [], doubled: [] });
  expect(must(okRows, 'the count').n).toBe(succeeded);
  expect(await duplicatesAnywhere()).toBe(0);
  report(
    `database cut 10 s: ${result.attempts} requests sent, ${succeeded} provider calls succeeded, ${must(okRows, 'the count').n} OK rows, ${result.acknowledged.length} acknowledged, 0 lost, 0 doubled`,
  );
}, 180_000);
