import { randomBytes } from 'node:crypto';
import { signInAdmin } from '../../support/factories';
import { must } from '../../support/must';
import { expectData, startTestServer, type TestServer } from '../../support/test-server';

// Webhook signing secrets (R15) are sealed like provider keys. A server started without the encryption key that
// sealed them cannot sign their deliveries: it says so once at start (counts only) and /readyz is not ready.

let server: TestServer;
let admin: { token: string };

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAdmin(server);
});

// No provider key is stored here, and the secret is never asked for: the webhook tests sweep for its leaks.
afterAll(async () => {
  await server?.close();
});

it('a server without the key that sealed a webhook secret logs it once at start and is not ready; with the key back it is', async () => {
  expectData(
    await server.graphql(
      `mutation($url: String!) { createWebhook(url: $url, events: [KEY_INVALID]) { webhook { id } } }`,
      { url: 'https://hooks.example.test/byok' },
      {
        token: admin.token,
      },
    ),
  );
  expect((await server.fetch('/readyz')).status).toBe(200);
  const sealingKey = must(server.env.BYOK_ENCRYPTION_KEY, 'BYOK_ENCRYPTION_KEY');

  let from = server.logs.length;
  await server.restart({ BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'), BYOK_PREVIOUS_ENCRYPTION_KEYS: '' });
  const lines = server.logs.slice(from).filter((line) => line.includes('webhook signing secrets'));
  expect(lines).toHaveLength(1);
  expect(JSON.parse(must(lines[0], 'the webhook secrets log line'))).toMatchObject({ level: 'error', webhookSecrets: 1, sealedWithMissingEncryptionKey: 1 });
  const ready = await server.fetch('/readyz');
  expect([ready.status, JSON.parse(ready.text)]).toEqual([503, { status: 'stored keys unreadable', unreadableKeys: 0, unreadableWebhookSecrets: 1 }]);

  // The sealing key configured again, as a previous key: ready, and nothing to report at start.
  from = server.logs.length;
  await server.restart({ BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'), BYOK_PREVIOUS_ENCRYPTION_KEYS: sealingKey });
  expect(server.logs.slice(from).filter((line) => line.includes('webhook signing secrets'))).toEqual([]);
  const readyAgain = await server.fetch('/readyz');
  expect([readyAgain.status, JSON.parse(readyAgain.text)]).toEqual([200, { status: 'ready' }]);
});
