/**
 * What does a gateway add to an AI request? One run, one machine, four ways to the same fake OpenAI:
 *   direct    — the load generator calls the fake provider itself: no gateway at all
 *   portkey   — Portkey's open-source gateway (@portkey-ai/gateway), key and upstream passed per request
 *   byok-v1   — byok POST /v1/chat/completions with a workspace-bound API token: authentication, membership,
 *               key resolution, AES-256-GCM open, the provider hop and the ledger row, all on
 *   byok-gql  — byok's GraphQL `complete` with the same token
 * Each gateway is its own process pinned to core 0 (`taskset -c 0`); this process (the load generator and
 * the fake provider) is pinned to core 1. Variants alternate in small slices so background load lands on all
 * alike. Then streaming: a fake that paces 64 deltas 20 ms apart, and what byok adds to the first token and to
 * the last chunk over calling the fake directly (Portkey 1.15.2's streaming fails on Node 20: not compared), beside
 * a null relay (bench/null-relay.mjs, pinned like the gateways): the floor any separate process pays here.
 *
 *   DATABASE_URL=postgres://… pnpm --filter @byok/server bench:gateway     (recommended: caches need LISTEN/NOTIFY)
 *   pnpm --filter @byok/server bench:gateway                               (embedded PGlite, caches off)
 *   BENCH_REQUESTS=400 BENCH_ROUNDS=3 BENCH_CONCURRENCY=32 BENCH_STREAMS=16 …
 *   BENCH_BASELINE=/path/to/another/checkout …   adds `base-v1`: that checkout's byok (e.g. the commit before a change,
 *                                                 `git worktree add /tmp/base <commit>` then `pnpm install`), same run
 */
import 'reflect-metadata';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { startFakeProviders } from '../test/fakes/fake-provider';
// With DATABASE_URL: a fresh database for the run, dropped afterwards (the same helper the tests use).
import { createTestDatabase } from '../test/support/test-database';
import { must } from '../test/support/must';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 16);
/** Unmeasured streams per variant before the measured ones (BENCH_STREAM_WARMUP). */
const STREAM_WARMUP = Number(process.env.BENCH_STREAM_WARMUP ?? 8);
/** BENCH_STREAM_AWAKE=1 adds a second streaming pass with both cores kept from halting (docs/benchmarks.md). */
const STREAM_AWAKE = process.env.BENCH_STREAM_AWAKE === '1';
const SLICE = 50;
/** BENCH_PROFILE=<dir>: the byok server runs with `--cpu-prof` and writes its CPU profile there on exit. */
const PROFILE_DIR = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
const PROFILE_SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? 15);
const SERVER_ROOT = path.resolve(__dirname, '..');

/** Another checkout's root (BENCH_BASELINE): its byok runs beside this one as `base-v1`, in the same run. */
const BASELINE_ROOT = process.env.BENCH_BASELINE ? path.resolve(process.env.BENCH_BASELINE) : null;

type Variant = 'direct' | 'portkey' | 'byok-v1' | 'byok-gql' | 'base-v1';
const VARIANTS: Variant[] = ['direct', 'portkey', 'byok-v1', 'byok-gql', ...(BASELINE_ROOT ? (['base-v1'] as const) : [])];
type StreamVariant = 'direct' | 'relay' | 'byok-v1' | 'base-v1';
const STREAM_VARIANTS: StreamVariant[] = ['direct', 'relay', 'byok-v1', ...(BASELINE_ROOT ? (['base-v1'] as const) : [])];
const STREAM_ORDERS: StreamVariant[][] = [
  ['direct', 'relay', 'byok-v1'],
  ['byok-v1', 'direct', 'relay'],
  ['relay', 'byok-v1', 'direct'],
  ['direct', 'byok-v1', 'relay'],
  ['relay', 'direct', 'byok-v1'],
  ['byok-v1', 'relay', 'direct'],
];

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const percentile = (sorted: number[], p: number): number =>
  must(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))], `p${p} of ${sorted.length} samples`);
const sortedOf = (values: number[]): number[] => [...values].sort((a, b) => a - b);

const client = new Agent({ connections: 256, keepAliveTimeout: 30_000 });

function pin(core: number, pid: number): void {
  execFileSync('taskset', ['-a', '-cp', String(core), String(pid)], { stdio: 'ignore' });
}

/** Starts a process pinned to core 0 and resolves once `ready` matches its output. */
async function startPinned(
  command: string[],
  env: Record<string, string>,
  ready: RegExp,
  cwd = SERVER_ROOT,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn('taskset', ['-c', '0', ...command], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = must(child.stdout, 'the stdout pipe');
  const stderr = must(child.stderr, 'the stderr pipe');
  let output = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start: ${command.join(' ')}\n${output}`)), 90_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const found = ready.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    stdout.on('data', onData);
    stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${command.join(' ')}\n${output}`)));
  });
  stdout.resume();
  stderr.resume();
  return { child, match };
}

async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    dispatcher: client,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.body.json()) as { data?: T; errors?: Array<{ extensions?: { code?: string } }> };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function main(): Promise<void> {
  pin(1, process.pid);
  const fakes = await startFakeProviders({ OPENAI: { chunkDelayMs: 20 } });
  const fake = fakes.OPENAI;
  const workspaceKey = `sk-benchworkspace${randomBytes(16).toString('hex')}`;
  const globalKey = `sk-benchglobal${randomBytes(16).toString('hex')}`;
  fake.validKeys.add(workspaceKey);
  fake.validKeys.add(globalKey);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-bench-'));
  const external = process.env.DATABASE_URL ? await createTestDatabase() : null;
  const adminPassword = randomBytes(12).toString('hex');

  const byokProcess = await startPinned(
    [process.execPath, ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), '-r', '@swc-node/register', 'src/main.ts'],
    {
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'warn',
      BYOK_DATA_DIR: dataDir,
      BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      METRICS_PORT: '0',
      BYOK_WEB_DIST: path.join(dataDir, 'no-web'),
      ADMIN_EMAIL: 'bench-admin@example.com',
      ADMIN_PASSWORD: adminPassword,
      ...fakes.env,
      ...(external ? { DATABASE_URL: external.url } : {}),
    },
    /byok is running at (http:\/\/127\.0\.0\.1:\d+)/,
  );
  const byokUrl = must(byokProcess.match[1], 'the URL byok listens on');
  const portkeyPort = 20000 + Math.floor(Math.random() * 20000);
  const portkeyProcess = await startPinned(
    [process.execPath, 'node_modules/@portkey-ai/gateway/build/start-server.js', `--port=${portkeyPort}`, '--headless'],
    {},
    /Ready for connections/,
  );
  const portkeyUrl = `http://127.0.0.1:${portkeyPort}`;
  const relayProcess = await startPinned([process.execPath, 'bench/null-relay.mjs', fake.url], {}, /relay listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const relayUrl = must(relayProcess.match[1], 'the URL the relay listens on');

  const { apiToken, workspaceId } = await setUpByok(byokUrl, adminPassword, globalKey, workspaceKey);
  // The baseline checkout's byok (BENCH_BASELINE): its own process, data folder and database, set up the same way.
  const baseDataDir = BASELINE_ROOT ? fs.mkdtempSync(path.join(os.tmpdir(), 'byok-bench-base-')) : null;
  const baseExternal = BASELINE_ROOT && process.env.DATABASE_URL ? await createTestDatabase() : null;
  const baseProcess =
    BASELINE_ROOT && baseDataDir
      ? await startPinned(
          [process.execPath, '-r', '@swc-node/register', 'src/main.ts'],
          {
            NODE_ENV: 'test',
            PORT: '0',
            LOG_LEVEL: 'warn',
            BYOK_DATA_DIR: baseDataDir,
            BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
            METRICS_PORT: '0',
            BYOK_WEB_DIST: path.join(baseDataDir, 'no-web'),
            ADMIN_EMAIL: 'bench-admin@example.com',
            ADMIN_PASSWORD: adminPassword,
            ...fakes.env,
            ...(baseExternal ? { DATABASE_URL: baseExternal.url } : {}),
          },
          /byok is running at (http:\/\/127\.0\.0\.1:\d+)/,
          path.join(BASELINE_ROOT, 'server'),
        )
      : null;
  const baseUrl = baseProcess ? must(baseProcess.match[1], 'the URL the baseline listens on') : null;
  const baseToken = baseUrl ? (await setUpByok(baseUrl, adminPassword, globalKey, workspaceKey)).apiToken : null;

  const messages = [{ role: 'user', content: 'how much does the gateway add' }];
  const chatBody = JSON.stringify({ model: 'gpt-4o-mini', messages, max_completion_tokens: 64 });
  const completeBody = JSON.stringify({
    query: `mutation($w: ID!, $input: CompletionInput!) { complete(workspaceId: $w, input: $input) { text keySource } }`,
    variables: { w: workspaceId, input: { provider: 'OPENAI', model: 'gpt-4o-mini', messages, maxTokens: 64 } },
  });
  const targets: Record<Variant, { url: string; headers: Record<string, string>; body: string }> = {
    direct: { url: `${fake.url}/v1/chat/completions`, headers: { authorization: `Bearer ${workspaceKey}` }, body: chatBody },
    portkey: {
      url: `${portkeyUrl}/v1/chat/completions`,
      headers: { authorization: `Bearer ${workspaceKey}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${fake.url}/v1` },
      body: chatBody,
    },
    'byok-v1': { url: `${byokUrl}/v1/chat/completions`, headers: { authorization: `Bearer ${apiToken}` }, body: chatBody },
    'byok-gql': { url: `${byokUrl}/graphql`, headers: { authorization: `Bearer ${apiToken}` }, body: completeBody },
    'base-v1': { url: `${baseUrl ?? ''}/v1/chat/completions`, headers: { authorization: `Bearer ${baseToken ?? ''}` }, body: chatBody },
  };
  let failures = 0;

  const one = async (variant: Variant): Promise<number> => {
    const target = targets[variant];
    const started = performance.now();
    const response = await request(target.url, {
      method: 'POST',
      dispatcher: client,
      headers: { 'content-type': 'application/json', ...target.headers },
      body: target.body,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200 || (variant === 'byok-gql' && !text.includes('"keySource":"WORKSPACE"'))) failures += 1;
    return performance.now() - started;
  };

  const runBatch = async (variant: Variant, count: number, concurrency: number): Promise<{ latencies: number[]; seconds: number }> => {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) {
          next += 1;
          latencies.push(await one(variant));
        }
      }),
    );
    return { latencies, seconds: (performance.now() - started) / 1000 };
  };

  for (const variant of VARIANTS) await runBatch(variant, 200, CONCURRENCY); // warm-up (JIT, pools, caches)
  fake.reset();
  if (failures > 0) throw new Error(`${failures} warm-up requests failed`);

  const results: Record<string, { latencies: number[]; requests: number; seconds: number }> = {};
  for (const concurrency of [1, CONCURRENCY]) {
    const count = concurrency === 1 ? Math.max(SLICE, Math.floor(REQUESTS / 2)) : REQUESTS;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let done = 0, slice = 0; done < count; done += SLICE, slice += 1) {
        const size = Math.min(SLICE, count - done);
        // Rotate the order every slice: none of the variants always runs first or last.
        const order = VARIANTS.map((_, index) => must(VARIANTS[(index + slice + round) % VARIANTS.length], 'a variant'));
        for (const variant of order) {
          const batch = await runBatch(variant, size, concurrency);
          const key = `${variant}@${concurrency}`;
          results[key] ??= { latencies: [], requests: 0, seconds: 0 };
          results[key].latencies.push(...batch.latencies);
          results[key].requests += size;
          results[key].seconds += batch.seconds;
        }
      }
    }
  }

  // Streaming: 63 words → "Echo: " + 63 words = 64 deltas, paced 20 ms apart by the fake. Three ways: direct, the null
  // relay (the floor: what any separate gateway process on the pinned core adds here) and byok.
  const streamPrompt = Array.from({ length: 63 }, (_, index) => `w${index}`).join(' ');
  const streamBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: streamPrompt }], stream: true });
  const streamTargets: Record<StreamVariant, { url: string; headers: Record<string, string> }> = {
    direct: targets.direct,
    relay: { url: `${relayUrl}/v1/chat/completions`, headers: { authorization: `Bearer ${workspaceKey}` } },
    'byok-v1': targets['byok-v1'],
    'base-v1': targets['base-v1'],
  };
  const streamOnce = async (variant: StreamVariant): Promise<{ first: number; last: number }> => {
    const target = streamTargets[variant];
    const started = performance.now();
    const response = await request(target.url, {
      method: 'POST',
      dispatcher: client,
      headers: { 'content-type': 'application/json', ...target.headers },
      body: streamBody,
    });
    let first = 0;
    let text = '';
    for await (const chunk of response.body) {
      text += (chunk as Buffer).toString('utf8');
      if (first === 0 && text.includes('"content":"Echo')) first = performance.now() - started;
    }
    if (response.statusCode !== 200 || !text.includes('[DONE]')) failures += 1;
    return { first, last: performance.now() - started };
  };
  // Warm the streaming path first, as the request/response variants were warmed above: its code runs only a few
  // dozen times in a run, and the first streams would otherwise measure V8 compiling it rather than byok.
  for (let index = 0; index < STREAM_WARMUP; index += 1) for (const variant of STREAM_VARIANTS) await streamOnce(variant);
  type Streamed = Record<StreamVariant, { first: number[]; last: number[] }>;
  const runStreams = async (): Promise<Streamed> => {
    const streamed = Object.fromEntries(STREAM_VARIANTS.map((variant) => [variant, { first: [] as number[], last: [] as number[] }])) as Streamed;
    // Every order of the three in turn: each variant follows each other one equally often (what ran before, and how
    // long the gateway core sat idle, changes how fast it wakes).
    for (let index = 0; index < STREAMS; index += 1) {
      const order = BASELINE_ROOT
        ? STREAM_VARIANTS.map((_, position) => must(STREAM_VARIANTS[(position + index) % STREAM_VARIANTS.length], 'a stream variant'))
        : must(STREAM_ORDERS[index % STREAM_ORDERS.length], 'an order of the stream variants');
      for (const variant of order) {
        const { first, last } = await streamOnce(variant);
        streamed[variant].first.push(first);
        streamed[variant].last.push(last);
      }
    }
    return streamed;
  };
  const streamedHalting = await runStreams();
  // Optionally the same again with both cores kept from halting: a lowest-priority (SCHED_IDLE) spinner on each,
  // which yields to any other task at once. It tells whether the floor is the idle cores' wake-up (it was not:
  // docs/benchmarks.md).
  let streamedAwake: Streamed | null = null;
  if (STREAM_AWAKE) {
    const spinners = [0, 1].map((core) =>
      spawn('taskset', ['-c', String(core), 'chrt', '-i', '0', process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' }),
    );
    try {
      streamedAwake = await runStreams();
    } finally {
      for (const spinner of spinners) spinner.kill('SIGKILL');
    }
  }

  const keys = new Set(fake.keysSeen());
  const database = external ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite (caches off)';
  print(
    `gateway overhead: ${ROUNDS} rounds × (${Math.max(SLICE, Math.floor(REQUESTS / 2))} requests at concurrency 1, ${REQUESTS} at ${CONCURRENCY}) per variant; fake OpenAI; ${database}; load average ${os
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
  );
  print(
    `keys the provider saw: ${[...keys].every((key) => key === workspaceKey) ? "only the workspace's own key" : 'UNEXPECTED'}; failed requests: ${failures}`,
  );
  print('');
  print(`| variant | p50 ms (c=1) | p99 ms (c=1) | adds p50 (c=1) | req/s (c=${CONCURRENCY}) | ÷ portkey req/s |`);
  print('|---------|-------------:|-------------:|---------------:|---------------:|----------------:|');
  const resultOf = (key: string): { latencies: number[]; requests: number; seconds: number } => must(results[key], `the ${key} results`);
  const direct1 = sortedOf(resultOf('direct@1').latencies);
  const rate = (variant: Variant): number => resultOf(`${variant}@${CONCURRENCY}`).requests / resultOf(`${variant}@${CONCURRENCY}`).seconds;
  for (const variant of VARIANTS) {
    const sorted = sortedOf(resultOf(`${variant}@1`).latencies);
    const adds = variant === 'direct' ? '—' : `${(percentile(sorted, 50) - percentile(direct1, 50)).toFixed(3)} ms`;
    print(
      `| ${variant} | ${percentile(sorted, 50).toFixed(3)} | ${percentile(sorted, 99).toFixed(3)} | ${adds} | ${rate(variant).toFixed(0)} | ${(rate(variant) / rate('portkey')).toFixed(2)}× |`,
    );
  }
  print('');
  const median = (values: number[]): number => percentile(sortedOf(values), 50);
  const printStreams = (streamed: Streamed, title: string): void => {
    print(`streaming, ${title} (${STREAMS} streams each, 64 deltas 20 ms apart), medians:`);
    print(`| variant | first token ms | last chunk ms | adds to first token | adds to last chunk |`);
    print('|---------|---------------:|--------------:|--------------------:|-------------------:|');
    for (const variant of STREAM_VARIANTS) {
      const adds = (which: 'first' | 'last'): string =>
        variant === 'direct' ? '—' : `${(median(streamed[variant][which]) - median(streamed.direct[which])).toFixed(3)} ms`;
      print(
        `| ${variant} | ${median(streamed[variant].first).toFixed(3)} | ${median(streamed[variant].last).toFixed(3)} | ${adds('first')} | ${adds('last')} |`,
      );
    }
    const own = median(streamed['byok-v1'].first) - median(streamed.relay.first);
    print(`byok's own share of the first token (byok-v1 less the null relay): ${own.toFixed(3)} ms`);
  };
  printStreams(streamedHalting, 'idle cores may halt');
  if (streamedAwake) {
    print('');
    printStreams(streamedAwake, 'cores kept awake');
  }

  if (PROFILE_DIR) {
    // A phase of byok-v1 traffic only, its monotonic-clock window saved so the summary reads just these samples
    // (not start-up, setup or the other variants): node bench/profile-summary.mjs <dir>/<file>.cpuprofile
    const until = performance.now() + PROFILE_SECONDS * 1000;
    const windowStart = process.hrtime.bigint() / 1000n;
    let profiled = 0;
    while (performance.now() < until) {
      await runBatch('byok-v1', 400, CONCURRENCY);
      profiled += 400;
    }
    const windowEnd = process.hrtime.bigint() / 1000n;
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    fs.writeFileSync(path.join(PROFILE_DIR, 'window.json'), JSON.stringify({ startUs: Number(windowStart), endUs: Number(windowEnd), requests: profiled }));
    print(`profiled phase: ${profiled} byok-v1 requests at concurrency ${CONCURRENCY}`);
  }

  // Wait for both to exit (the CPU profile, when asked for, is written on exit).
  const exited = (child: ChildProcess): Promise<unknown> =>
    child.exitCode !== null
      ? Promise.resolve()
      : Promise.race([new Promise((resolve) => child.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  byokProcess.child.kill('SIGTERM');
  portkeyProcess.child.kill('SIGTERM');
  relayProcess.child.kill('SIGTERM');
  baseProcess?.child.kill('SIGTERM');
  await Promise.all([exited(byokProcess.child), exited(portkeyProcess.child), exited(relayProcess.child), ...(baseProcess ? [exited(baseProcess.child)] : [])]);
  await baseExternal?.drop().catch(() => undefined);
  if (baseDataDir) fs.rmSync(baseDataDir, { recursive: true, force: true });
  if (PROFILE_DIR) print(`CPU profile of the byok server written to ${PROFILE_DIR}`);
  await external?.drop().catch(() => undefined);
  await fakes.close();
  await client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (failures > 0 || ![...keys].every((key) => key === workspaceKey)) {
    process.stderr.write('some requests failed or used the wrong key\n');
    process.exitCode = 1;
  }
}

/** Through byok's public API: BYOK on, a platform key, a workspace with its own key, a bound API token. */
async function setUpByok(url: string, adminPassword: string, globalKey: string, workspaceKey: string): Promise<{ apiToken: string; workspaceId: string }> {
  const admin = await graphql<{ signIn: { token: string } }>(
    url,
    `
      mutation ($e: String!, $p: String!) {
        signIn(email: $e, password: $p) {
          token
        }
      }
    `,
    {
      e: 'bench-admin@example.com',
      p: adminPassword,
    },
  );
  await graphql(
    url,
    `
      mutation ($k: String!) {
        updateIntegration(provider: OPENAI, byokEnabled: true, globalKey: $k) {
          byokEnabled
        }
      }
    `,
    { k: globalKey },
    admin.signIn.token,
  );
  const owner = await graphql<{ signUp: { token: string } }>(
    url,
    `
      mutation ($e: String!) {
        signUp(email: $e, password: "bench-password-1", name: "Bench") {
          token
        }
      }
    `,
    {
      e: `bench-${randomBytes(4).toString('hex')}@example.com`,
    },
  );
  const { workspaces } = await graphql<{ workspaces: Array<{ id: string }> }>(
    url,
    `
      {
        workspaces {
          id
        }
      }
    `,
    {},
    owner.signUp.token,
  );
  const workspaceId = must(workspaces[0], "the owner's workspace").id;
  await graphql(
    url,
    `
      mutation ($w: ID!, $k: String!) {
        setWorkspaceKey(workspaceId: $w, provider: OPENAI, apiKey: $k) {
          status
        }
      }
    `,
    { w: workspaceId, k: workspaceKey },
    owner.signUp.token,
  );
  const { createApiToken } = await graphql<{ createApiToken: { token: string } }>(
    url,
    `
      mutation ($w: ID!) {
        createApiToken(name: "bench", workspaceId: $w) {
          token
        }
      }
    `,
    { w: workspaceId },
    owner.signUp.token,
  );
  const apiToken = createApiToken.token;
  return { apiToken, workspaceId };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
