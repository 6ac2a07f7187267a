/**
 * The integration tier's app without HTTP: a fresh database with real migrations, the services from the wiring,
 * fake providers for live checks, the change feed when the database can deliver notifications, and every log
 * line kept (for the leak sweep).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkspaceRole } from '@byok/shared';
import type { Viewer } from '../../src/auth/viewer';
import { CHANGE_CHANNEL, ChangeFeed } from '../../src/cache/change-feed';
import { loadConfig } from '../../src/config/config';
import { loadSecretBox } from '../../src/crypto/encryption-keys';
import { createLogger } from '../../src/logging/logger';
import { createDataSource } from '../../src/wiring/create-data-source';
import { createServices, type Services } from '../../src/wiring/services';
import { startFakeProviders, type FakeProviders } from '../fakes/fake-provider';
import type { LeakSources } from './canaries';
import { createTestDatabase, type TestDatabase } from './test-database';
import { trackTestResource, whileStarting } from './test-resources';

export interface IntegrationApp {
  services: Services;
  fakes: FakeProviders;
  database: TestDatabase;
  /** Live only on a real Postgres (PGlite cannot deliver notifications across connections). */
  changeFeed: ChangeFeed | null;
  logs: string[];
  admin: Viewer;
  /** Where the leak sweep looks: the logs above, the given outputs (views, errors) and every column. */
  leakSources(outputs: unknown[]): LeakSources;
  /** A new user with their own workspace (they own it). */
  signUp(name: string): Promise<{ viewer: Viewer; workspaceId: string; role: WorkspaceRole }>;
  close(): Promise<void>;
}

let users = 0;

/** Tracked (support/test-resources.ts): closed when the test file ends even if the file never got to close it. */
export function startIntegrationApp(env: Record<string, string> = {}): Promise<IntegrationApp> {
  return whileStarting(start(env));
}

async function start(env: Record<string, string>): Promise<IntegrationApp> {
  const database = await createTestDatabase();
  const fakes = await startFakeProviders();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-integration-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      BYOK_DATA_DIR: dataDir,
      BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      METRICS_PORT: '0',
      ADMIN_EMAIL: 'admin@example.test',
      ADMIN_PASSWORD: 'correct horse battery staple',
      ...fakes.env,
      ...env,
    },
    dataDir,
  );
  const logs: string[] = [];
  const logger = createLogger('debug', (line) => logs.push(line));
  const dataSource = createDataSource(database.url, { poolSize: database.kind === 'embedded' ? 1 : 4 });
  const changeFeed =
    database.kind === 'embedded'
      ? null
      : new ChangeFeed(database.url, logger, (payload) => dataSource.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, payload]));
  let services: Services | null = null;
  // Tracked before the first connection: whatever part got started is closed, even when a later step fails.
  const tracked = trackTestResource('an integration app', async () => {
    await services?.close();
    await changeFeed?.close();
    if (dataSource.isInitialized) await dataSource.destroy();
    await fakes.close();
    await database.drop();
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await changeFeed?.start();
  services = createServices({ config, logger, dataSource, secretBox: loadSecretBox(config, logger), changeFeed });
  await services.auth.ensureAdmin();
  const authenticate = async (token: string): Promise<Viewer> => {
    const viewer = await services.auth.authenticate(token);
    if (!viewer) throw new Error('a test user could not authenticate');
    return viewer;
  };
  const admin = await authenticate((await services.auth.signIn('admin@example.test', 'correct horse battery staple', null)).token);
  return {
    services,
    fakes,
    database,
    changeFeed,
    logs,
    admin,
    leakSources: (outputs) => ({ logs, responses: outputs.map((output) => JSON.stringify(output) ?? String(output)), database: dataSource }),
    async signUp(name) {
      users += 1;
      const signedUp = await services.auth.signUp(`${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${users}@example.test`, 'another long passphrase', name);
      const [workspace] = await services.workspaces.listForViewer({ userId: signedUp.user.id, apiTokenWorkspaceId: null });
      if (!workspace) throw new Error('sign-up created no workspace');
      return { viewer: await authenticate(signedUp.token), workspaceId: workspace.id, role: 'OWNER' };
    },
    close: () => tracked.close(),
  };
}
