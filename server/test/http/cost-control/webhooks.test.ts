/**
 * R15 end to end on a real database: every event type goes event → audit → notice → signed webhook to a real
 * receiver that verifies the signature with the secret; a receiver that is down gets the delivery after it
 * comes back, across a server restart; two processes never send one delivery twice; no key material in any
 * body; the secret is shown once and never again.
 */
import { findLeaks, registeredCanaries, type Canary } from '../../support/canaries';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { assertNoLeaks, collectLeaks } from '../../support/canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, type TestServer } from '../../support/test-server';
import { acceptedKey, complete, input, setByok, setGlobalKey, setWorkspaceKey, workspaceKeyState } from '../ai/ai-helpers';
import { verifyWorkspaceKey } from '../../support/byok';
import { eventually, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { must } from '../../support/must';

const PRICE_OVERRIDES = JSON.stringify({ OPENAI: { 'gpt-4o-mini': { inputPerMillionUsd: 1000, outputPerMillionUsd: 1000 } } });
const ask = () => input('OPENAI', 'hello there world', { maxTokens: 8 });
const ALL_EVENTS = ['KEY_INVALID', 'BUDGET_THRESHOLD', 'BYOK_TOGGLED'];

interface DeliveryData {
  id: string;
  eventId: string;
  eventType: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  nextAttemptAt: string | null;
  lastResponseCode: number | null;
  lastError: string | null;
  attemptLog: Array<{ responseCode: number | null; error: string | null; nextAttemptAt: string | null }>;
}
const DELIVERY_FIELDS = 'id eventId eventType status attempts nextAttemptAt lastResponseCode lastError attemptLog { responseCode error nextAttemptAt }';

let fakes: FakeProviders;
let server: TestServer;
let admin: { id: string; token: string };
let owner: TestUser;
let member: TestUser;
let receiver: WebhookReceiver;
let webhookId: string;

async function createWebhook(url: string, events: string[]) {
  return server.graphql<{ createWebhook: { secret: string; webhook: { id: string; url: string; events: string[] } } }>(
    `mutation($url: String!, $events: [WebhookEventType!]!) { createWebhook(url: $url, events: $events) { secret webhook { id url events createdAt } } }`,
    { url, events },
    { token: admin.token },
  );
}

async function deliveries(id = webhookId): Promise<DeliveryData[]> {
  return expectData(
    await server.graphql<{ webhookDeliveries: DeliveryData[] }>(
      `query($id: ID!) { webhookDeliveries(webhookId: $id, first: 100) { ${DELIVERY_FIELDS} } }`,
      { id },
      { token: admin.token },
    ),
  ).webhookDeliveries;
}

const receivedOf = (type: string) => receiver.received.filter((delivery) => delivery.body.type === type);

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({
    env: {
      ...fakes.env,
      BYOK_PRICE_OVERRIDES: PRICE_OVERRIDES,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_MAX_ATTEMPTS: '30',
      WEBHOOK_TIMEOUT_MS: '2000',
    },
  });
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'owner');
  member = await signUpUser(server, 'member');
  await addMember(server, owner, member);
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  try {
    await assertNoLeaks(server);
  } finally {
    await server.close();
    await receiver.close();
    await fakes.close();
  }
});

describe('registering a webhook', () => {
  it('shows the secret once; the list never has it; the secret is nowhere in responses, logs or the database afterwards', async () => {
    const created = expectData(await createWebhook(receiver.url, ALL_EVENTS)).createWebhook;
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.webhook).toMatchObject({ url: receiver.url, events: ALL_EVENTS });
    receiver.secret = created.secret;
    webhookId = created.webhook.id;
    const responsesBefore = server.responses.length;

    const listed = await server.graphql(`{ webhooks { id url events createdAt } }`, {}, { token: admin.token });
    expect(listed.text).not.toContain(created.secret);
    expect(expectData(listed)).toEqual({ webhooks: [expect.objectContaining({ id: webhookId, url: receiver.url })] });
    const [row] = await server.app.dataSource.query(`SELECT secret_ciphertext FROM webhooks WHERE id = $1`, [webhookId]);
    expect(row.secret_ciphertext).toMatch(/^v1\./);

    const secretCanary: Canary = { provider: 'OPENAI', key: created.secret, marker: created.secret.slice(6) };
    const leaks = await collectLeaks({ logs: server.logs, responses: server.responses.slice(responsesBefore), database: server.app.dataSource }, [
      secretCanary,
    ]);
    expect(leaks).toEqual([]);
    const audit = await server.app.dataSource.query(`SELECT details FROM audit_events WHERE action = 'WEBHOOK_CREATED'`);
    expect(audit[0].details).toMatchObject({ webhookId, events: ALL_EVENTS });
  });

  it('refuses bad URLs and empty event lists', async () => {
    for (const url of ['not a url', 'ftp://example.com/hook', 'https://user:pass@example.com/hook']) {
      expect(errorCode(await createWebhook(url, ['KEY_INVALID']))).toBe('BAD_USER_INPUT');
    }
    expect(errorCode(await createWebhook('https://hooks.example.com/byok', []))).toBe('BAD_USER_INPUT');
  });

  it('members, owners and anonymous callers cannot see or change webhooks', async () => {
    for (const auth of [{ token: owner.token }, { token: member.token }, undefined]) {
      const expected = auth ? 'FORBIDDEN' : 'UNAUTHENTICATED';
      expect(errorCode(await server.graphql(`{ webhooks { id } }`, {}, auth))).toBe(expected);
      expect(errorCode(await server.graphql(`query($id: ID!) { webhookDeliveries(webhookId: $id) { id } }`, { id: webhookId }, auth))).toBe(expected);
      expect(
        errorCode(
          await server.graphql(
            `mutation($u: String!) { createWebhook(url: $u, events: [KEY_INVALID]) { secret } }`,
            { u: 'https://hooks.example.com/x' },
            auth,
          ),
        ),
      ).toBe(expected);
      expect(errorCode(await server.graphql(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: webhookId }, auth))).toBe(expected);
      expect(errorCode(await server.graphql(`mutation($id: ID!) { sendTestWebhookEvent(id: $id) { id } }`, { id: webhookId }, auth))).toBe(expected);
    }
    const [count] = await server.app.dataSource.query(`SELECT count(*)::int AS count FROM webhooks`);
    expect(count.count).toBe(1);
  });
});

describe('each event type: event → audit → notice → signed webhook', () => {
  it('KEY_INVALID (a workspace key rejected by traffic)', async () => {
    await setByok(server, admin.token, 'OPENAI', true);
    const key = acceptedKey(fakes, 'OPENAI');
    await setWorkspaceKey(server, owner.token, owner.workspaceId, 'OPENAI', key);
    fakes.OPENAI.validKeys.delete(key);
    expect(errorCode(await complete(server, { token: member.token }, owner.workspaceId, ask()))).toBe('WORKSPACE_KEY_REJECTED');

    const [event] = await server.app.dataSource.query(`SELECT id FROM events WHERE type = 'KEY_INVALID'`);
    const [audit] = await server.app.dataSource.query(`SELECT details FROM audit_events WHERE action = 'WORKSPACE_KEY_INVALID'`);
    expect(audit.details.eventId).toBe(event.id);
    const notices = expectData(
      await server.graphql<{ notices: Array<{ type: string }> }>(
        `query($w: ID) { notices(workspaceId: $w) { type } }`,
        { w: owner.workspaceId },
        { token: owner.token },
      ),
    );
    expect(notices.notices.map((notice) => notice.type)).toContain('KEY_INVALID');

    const [first] = await eventually(
      () => receivedOf('KEY_INVALID'),
      (list) => list.length === 1,
    );
    const received = must(first, 'the KEY_INVALID delivery');
    expect(received.signatureValid).toBe(true);
    expect(Object.keys(received.body)).toEqual(['id', 'type', 'createdAt', 'data']);
    expect(received.body.id).toBe(event.id);
    expect(received.body.data).toMatchObject({ scope: 'WORKSPACE', workspaceId: owner.workspaceId, provider: 'OPENAI', trigger: 'AI_REQUEST' });
    expect(received.headers['byok-event-id']).toBe(event.id);
    await setByok(server, admin.token, 'OPENAI', false);
  });

  it('KEY_INVALID once per transition: rejected again with a different provider message (by traffic, then on verification) is no new event', async () => {
    const key = acceptedKey(fakes, 'OPENAI');
    await setByok(server, admin.token, 'OPENAI', true);
    try {
      await setWorkspaceKey(server, owner.token, owner.workspaceId, 'OPENAI', key);
      const [{ fingerprint }] = await server.app.dataSource.query(
        `SELECT fingerprint FROM provider_keys WHERE scope = 'WORKSPACE' AND workspace_id = $1 AND provider = 'OPENAI'`,
        [owner.workspaceId],
      );
      const counts = async () => {
        const [row] = await server.app.dataSource.query(
          `SELECT (SELECT count(*)::int FROM events WHERE type = 'KEY_INVALID') AS events,
                  (SELECT count(*)::int FROM audit_events WHERE action = 'WORKSPACE_KEY_INVALID') AS audits,
                  (SELECT count(*)::int FROM notices WHERE type = 'KEY_INVALID') AS notices,
                  (SELECT count(*)::int FROM webhook_deliveries d JOIN events e ON e.id = d.event_id WHERE e.type = 'KEY_INVALID') AS deliveries`,
        );
        return row as { events: number; audits: number; notices: number; deliveries: number };
      };
      const state = async () => must(await workspaceKeyState(server, owner.token, owner.workspaceId, 'OPENAI'), 'the workspace key');
      const before = await counts();

      // 401 "Incorrect API key provided: …": the key turns INVALID, one event.
      fakes.OPENAI.validKeys.delete(key);
      expect(errorCode(await complete(server, { token: member.token }, owner.workspaceId, ask()))).toBe('WORKSPACE_KEY_REJECTED');
      expect(await state()).toMatchObject({ status: 'INVALID', lastError: expect.stringMatching(/Incorrect API key provided/) });
      // 403 "You are not allowed to sample from this model": the row takes the new message, the key was INVALID already.
      fakes.OPENAI.forbiddenKeys.add(key);
      expect(errorCode(await complete(server, { token: member.token }, owner.workspaceId, ask()))).toBe('WORKSPACE_KEY_REJECTED');
      expect(await state()).toMatchObject({ status: 'INVALID', lastError: expect.stringMatching(/not allowed to sample/) });
      // The owner verifies it: rejected once more, still INVALID, still nothing new.
      expect(expectData(await verifyWorkspaceKey(server, owner.token, owner.workspaceId, 'OPENAI')).verifyWorkspaceKey.status).toBe('INVALID');

      const after = await counts();
      expect({
        events: after.events - before.events,
        audits: after.audits - before.audits,
        notices: after.notices - before.notices,
        deliveries: after.deliveries - before.deliveries,
      }).toEqual({ events: 1, audits: 1, notices: 1, deliveries: 1 });
      const owners = expectData(
        await server.graphql<{ notices: Array<{ type: string }> }>(
          `query($w: ID) { notices(workspaceId: $w) { type } }`,
          { w: owner.workspaceId },
          { token: owner.token },
        ),
      );
      expect(owners.notices.filter((notice) => notice.type === 'KEY_INVALID')).toHaveLength(1);
      const [delivered] = await eventually(
        () => receivedOf('KEY_INVALID').filter((delivery) => delivery.body.data.fingerprint === fingerprint),
        (list) => list.length === 1,
      );
      expect(delivered?.signatureValid).toBe(true);
    } finally {
      // Whatever happened, the next tests start with BYOK off for OpenAI.
      fakes.OPENAI.forbiddenKeys.delete(key);
      await setByok(server, admin.token, 'OPENAI', false);
    }
  });

  it('BUDGET_THRESHOLD (80% and 100%)', async () => {
    await setGlobalKey(server, admin.token, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
    expectData(
      await server.graphql(
        `mutation($w: ID) { setPlatformKeyBudget(workspaceId: $w, monthlyLimitMicroUsd: 10000) { monthlyLimitMicroUsd } }`,
        { w: owner.workspaceId },
        { token: admin.token },
      ),
    );
    expectData(await complete(server, { token: member.token }, owner.workspaceId, ask()));
    expectData(await complete(server, { token: member.token }, owner.workspaceId, ask()));
    const received = await eventually(
      () => receivedOf('BUDGET_THRESHOLD'),
      (list) => list.length === 2,
    );
    expect(received.map((delivery) => [delivery.signatureValid, delivery.body.data.thresholdPercent])).toEqual(
      expect.arrayContaining([
        [true, 80],
        [true, 100],
      ]),
    );
    const audit = await server.app.dataSource.query(
      `SELECT count(*)::int AS count FROM audit_events WHERE action = 'PLATFORM_KEY_BUDGET_THRESHOLD' AND actor_user_id IS NULL`,
    );
    expect(audit[0].count).toBe(2);
    const notices = expectData(await server.graphql<{ notices: Array<{ type: string }> }>(`{ notices { type } }`, {}, { token: admin.token }));
    expect(notices.notices.filter((notice) => notice.type === 'BUDGET_THRESHOLD')).toHaveLength(2);
  });

  it('BYOK_TOGGLED, with the admin who switched it', async () => {
    await setByok(server, admin.token, 'ANTHROPIC', true);
    const [received] = await eventually(
      () => receivedOf('BYOK_TOGGLED').filter((delivery) => delivery.body.data.provider === 'ANTHROPIC'),
      (list) => list.length === 1,
    );
    expect(received?.signatureValid).toBe(true);
    expect(received?.body.data).toMatchObject({ provider: 'ANTHROPIC', byokEnabled: true, actorUserId: admin.id });
  });

  it('a webhook gets only the events it subscribed to', async () => {
    const other = await startWebhookReceiver();
    try {
      const created = expectData(await createWebhook(other.url, ['BYOK_TOGGLED'])).createWebhook;
      other.secret = created.secret;
      await setByok(server, admin.token, 'ANTHROPIC', false);
      await eventually(
        () => other.received,
        (list) => list.length === 1,
      );
      expect(other.received[0]?.body.type).toBe('BYOK_TOGGLED');
      expect(other.received[0]?.signatureValid).toBe(true);
      // A signature made with another webhook's secret does not verify.
      other.secret = receiver.secret;
      await setByok(server, admin.token, 'ANTHROPIC', true);
      await eventually(
        () => other.received,
        (list) => list.length === 2,
      );
      expect(other.received[1]?.signatureValid).toBe(false);
      expectData(await server.graphql(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: created.webhook.id }, { token: admin.token }));
    } finally {
      await other.close();
    }
  });
});

describe('delivery', () => {
  it('a receiver that is down: retried with backoff, survives a server restart, delivered once it is back', async () => {
    await receiver.down();
    await setByok(server, admin.token, 'ANTHROPIC', false);
    const [event] = await server.app.dataSource.query(`SELECT id FROM events WHERE type = 'BYOK_TOGGLED' ORDER BY created_at DESC LIMIT 1`);
    const failing = must(
      await eventually(
        async () => (await deliveries()).find((delivery) => delivery.eventId === event.id),
        (delivery) => (delivery?.attempts ?? 0) >= 2,
      ),
      'the failing delivery',
    );
    expect(failing).toMatchObject({ status: 'PENDING', lastResponseCode: null });
    expect(failing.lastError).toMatch(/ECONNREFUSED/);
    expect(failing.nextAttemptAt).not.toBeNull();
    expect(must(failing.attemptLog[0], 'the first attempt').nextAttemptAt).not.toBeNull();

    await server.restart();
    await receiver.up();
    const delivered = await eventually(
      async () => (await deliveries()).find((delivery) => delivery.eventId === event.id),
      (delivery) => delivery?.status === 'DELIVERED',
    );
    expect(delivered).toMatchObject({ lastResponseCode: 200, lastError: null, nextAttemptAt: null });
    expect(delivered?.attemptLog.at(-1)).toMatchObject({ responseCode: 200, error: null });
    const got = receiver.received.filter((delivery) => delivery.body.id === event.id);
    expect(got).toHaveLength(1);
    expect(got[0]?.signatureValid).toBe(true);
  });

  it('a non-2xx answer is retried until acknowledged; "send test event" goes through the same path', async () => {
    receiver.status = 500;
    const test = expectData(
      await server.graphql<{ sendTestWebhookEvent: DeliveryData }>(
        `mutation($id: ID!) { sendTestWebhookEvent(id: $id) { ${DELIVERY_FIELDS} } }`,
        { id: webhookId },
        { token: admin.token },
      ),
    ).sendTestWebhookEvent;
    expect(test).toMatchObject({ eventType: 'TEST', status: 'PENDING', attempts: 0 });
    await eventually(
      async () => (await deliveries()).find((delivery) => delivery.id === test.id),
      (delivery) => delivery?.lastResponseCode === 500,
    );
    receiver.status = 200;
    const done = await eventually(
      async () => (await deliveries()).find((delivery) => delivery.id === test.id),
      (delivery) => delivery?.status === 'DELIVERED',
    );
    const attempts = must(done, 'the delivered test event').attemptLog;
    expect(attempts.map((attempt) => attempt.responseCode)).toEqual([...attempts.slice(0, -1).map(() => 500), 200]);
    const received = receiver.received.filter((delivery) => delivery.body.id === test.eventId);
    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(received.every((delivery) => delivery.signatureValid && delivery.body.type === 'TEST')).toBe(true);
  });

  it('a redirect (3xx) is not an acknowledgement and is not followed', async () => {
    const elsewhere = await startWebhookReceiver();
    try {
      receiver.status = 307;
      receiver.headers = { location: elsewhere.url };
      const test = expectData(
        await server.graphql<{ sendTestWebhookEvent: DeliveryData }>(
          `mutation($id: ID!) { sendTestWebhookEvent(id: $id) { id eventId } }`,
          { id: webhookId },
          { token: admin.token },
        ),
      ).sendTestWebhookEvent;
      const redirected = await eventually(
        async () => (await deliveries()).find((delivery) => delivery.id === test.id),
        (delivery) => (delivery?.attempts ?? 0) >= 2,
      );
      expect(redirected).toMatchObject({ status: 'PENDING', lastResponseCode: 307 });
      expect(redirected?.lastError).toMatch(/HTTP 307/);
      expect(redirected?.attemptLog.every((attempt) => attempt.responseCode === 307)).toBe(true);
      expect(receiver.received.filter((delivery) => delivery.body.id === test.eventId).length).toBeGreaterThanOrEqual(2);
      expect(elsewhere.received).toEqual([]);
      receiver.status = 200;
      receiver.headers = {};
      await eventually(
        async () => (await deliveries()).find((delivery) => delivery.id === test.id),
        (delivery) => delivery?.status === 'DELIVERED',
      );
    } finally {
      receiver.status = 200;
      receiver.headers = {};
      await elsewhere.close();
    }
  });

  it('two server processes polling the same outbox never send one delivery twice', async () => {
    const second = await startTestServer({ database: server.database, env: { ...server.env }, skipAdminBootstrap: true });
    try {
      const before = receiver.received.length;
      const sent = await Promise.all(
        Array.from({ length: 30 }, () =>
          server.graphql<{ sendTestWebhookEvent: { eventId: string } }>(
            `mutation($id: ID!) { sendTestWebhookEvent(id: $id) { eventId } }`,
            { id: webhookId },
            { token: admin.token },
          ),
        ),
      );
      const ids = sent.map((result) => expectData(result).sendTestWebhookEvent.eventId);
      await eventually(
        () => receiver.received.slice(before),
        (list) => ids.every((id) => list.some((delivery) => delivery.body.id === id)),
      );
      // Give a double send every chance to show up before counting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const counts = ids.map((id) => receiver.received.filter((delivery) => delivery.body.id === id).length);
      expect(counts.every((count) => count === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('gives up after the last attempt (FAILED, no next retry)', async () => {
    await server.restart({ WEBHOOK_MAX_ATTEMPTS: '2' });
    receiver.status = 503;
    const test = expectData(
      await server.graphql<{ sendTestWebhookEvent: DeliveryData }>(
        `mutation($id: ID!) { sendTestWebhookEvent(id: $id) { id } }`,
        { id: webhookId },
        { token: admin.token },
      ),
    ).sendTestWebhookEvent;
    const failed = await eventually(
      async () => (await deliveries()).find((delivery) => delivery.id === test.id),
      (delivery) => delivery?.status === 'FAILED',
    );
    expect(failed).toMatchObject({ attempts: 2, nextAttemptAt: null, lastResponseCode: 503 });
    receiver.status = 200;
  });

  it('without WEBHOOK_ALLOW_PRIVATE_NETWORKS: http and private addresses are refused on create, and checked again at delivery', async () => {
    // Registered while private networks are allowed: a name (not a literal) that resolves to loopback.
    const byName = expectData(await createWebhook(receiver.url.replace('127.0.0.1', 'localhost'), ['KEY_INVALID'])).createWebhook.webhook;
    await server.restart({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' });
    for (const url of [
      'http://hooks.example.com/x',
      'https://127.0.0.1/x',
      'https://localhost/x',
      'https://10.1.2.3/x',
      'https://[::1]/x',
      'https://169.254.169.254/latest',
    ]) {
      const result = await createWebhook(url, ['KEY_INVALID']);
      expect({ url, code: errorCode(result) }).toEqual({ url, code: 'BAD_USER_INPUT' });
    }
    // The existing endpoint (registered while private networks were allowed) is now refused when sending.
    const before = receiver.received.length;
    const test = expectData(
      await server.graphql<{ sendTestWebhookEvent: { id: string } }>(
        `mutation($id: ID!) { sendTestWebhookEvent(id: $id) { id } }`,
        { id: webhookId },
        { token: admin.token },
      ),
    ).sendTestWebhookEvent;
    const refused = await eventually(
      async () => (await deliveries()).find((delivery) => delivery.id === test.id),
      (delivery) => (delivery?.attempts ?? 0) >= 1,
    );
    expect(refused?.lastError).toMatch(/private or reserved address/);
    const byNameTest = expectData(
      await server.graphql<{ sendTestWebhookEvent: { id: string } }>(
        `mutation($id: ID!) { sendTestWebhookEvent(id: $id) { id } }`,
        { id: byName.id },
        { token: admin.token },
      ),
    ).sendTestWebhookEvent;
    const byNameRefused = await eventually(
      async () => (await deliveries(byName.id)).find((delivery) => delivery.id === byNameTest.id),
      (delivery) => (delivery?.attempts ?? 0) >= 1,
    );
    expect(byNameRefused?.lastError).toMatch(/localhost resolves to a private or reserved address/);
    expect(receiver.received.length).toBe(before);
    await server.restart({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  });

  it('no key material in any webhook body, event or delivery row (leak sweep over what the receiver got)', async () => {
    expect(registeredCanaries().length).toBeGreaterThan(0);
    const bodies = receiver.received.map((delivery) => delivery.rawBody);
    expect(bodies.length).toBeGreaterThan(5);
    const leaks = bodies.flatMap((body, index) => findLeaks(body, `webhook body #${index}`));
    expect(leaks).toEqual([]);
    for (const body of bodies) expect(body).not.toMatch(/sk-|whsec_/);
  });
});
