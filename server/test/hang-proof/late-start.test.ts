/**
 * Deliberately broken, to prove a broken test file cannot hang the run (docs/decisions/2026-12-08-tests-never-hang.md).
 * Not part of any normal run: its jest project exists only with BYOK_HANG_PROOF=1, and `pnpm --filter @byok/server
 * test:hang-proof` (scripts/prove-no-hang.mjs) runs it and checks the outcome: jest fails with its summary and a
 * non-zero exit within a bounded time, having closed the server that finished starting after its hook gave up, and
 * the watchdog names the handle this file leaks on purpose.
 */
import http from 'node:http';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestServer, type TestServer } from '../support/test-server';

describe('a server that starts after its hook timed out', () => {
  let database: TestDatabase;
  let server: TestServer | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  // A hook timeout far shorter than any server start (migrations on a fresh database): the hook fails, the start goes on.
  beforeAll(async () => {
    server = await startTestServer({ database });
  }, 50);

  it('is failed by the timed-out beforeAll and never runs', () => {
    expect(server).toBeDefined();
  });
});

describe('a leak nothing tracks', () => {
  it('opens a listening socket and never closes it', async () => {
    const leaked = http.createServer();
    await new Promise<void>((resolve) => leaked.listen(0, '127.0.0.1', () => resolve()));
    expect(leaked.listening).toBe(true);
  });
});
