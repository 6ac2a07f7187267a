/**
 * Slow clients (issue 17) through the real server with shortened limits: a client that never finishes its headers
 * and a body that stalls are cut off within the limits; a normal request, a keep-alive connection and an SSE
 * stream whose provider pauses longer than the body limit are not. Oversized chunked GraphQL bodies get a 413.
 */
import net from 'node:net';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { startTestServer, type TestServer } from '../../support/test-server';
import { acceptedKey, input, setByok, setWorkspaceKey, streamCompletion } from '../ai/ai-helpers';

const HEADERS_TIMEOUT_SECONDS = 1;
const BODY_TIMEOUT_SECONDS = 1;
/** Generous for a busy 2-core machine, far below Node's defaults (60 s headers, no body inactivity limit). */
const CUT_OFF_WITHIN_MS = 4000;

let fakes: FakeProviders;
let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  // Each streamed chunk waits longer than the body limit: the response is silent for 1.5 s at a time.
  fakes = await startFakeProviders({}, { chunkDelayMs: 1500 });
  server = await startTestServer({
    env: {
      ...fakes.env,
      PROVIDER_COMPLETION_TIMEOUT_MS: '60000',
      HTTP_HEADERS_TIMEOUT_SECONDS: String(HEADERS_TIMEOUT_SECONDS),
      HTTP_BODY_TIMEOUT_SECONDS: String(BODY_TIMEOUT_SECONDS),
    },
  });
  const admin = await signInAdmin(server);
  owner = await signUpUser(server, 'streamer');
  await setByok(server, admin.token, 'OPENAI', true);
  await setWorkspaceKey(server, owner.token, owner.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
});
afterAll(async () => {
  await server.close();
  await fakes.close();
});

interface RawConnection {
  socket: net.Socket;
  /** What the server has sent so far. */
  received(): string;
  /** Resolves with the milliseconds from connect to close, and what the server sent. */
  closed: Promise<{ afterMs: number; received: string }>;
}

function connect(): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.app.port, '127.0.0.1');
    const started = Date.now();
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
    });
    const closed = new Promise<{ afterMs: number; received: string }>((done) => {
      socket.on('close', () => done({ afterMs: Date.now() - started, received }));
    });
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed, received: () => received }));
    socket.once('error', reject);
  });
}

/** Resolves with the close, or with null if the socket is still open after `ms`. */
const closedWithin = (connection: RawConnection, ms: number) =>
  Promise.race([connection.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]);

describe('slow clients are cut off', () => {
  it('headers that never finish: closed within the headers limit', async () => {
    const connection = await connect();
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: byok\r\n');
    // A header line every 300 ms keeps the socket busy, but the headers never end.
    const drip = setInterval(() => connection.socket.write('X-Slow: 1\r\n'), 300);
    try {
      const closed = await closedWithin(connection, CUT_OFF_WITHIN_MS);
      expect(closed).not.toBeNull();
      expect(closed?.afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_SECONDS * 1000 - 100);
    } finally {
      clearInterval(drip);
      connection.socket.destroy();
    }
  });

  it('a body that stalls: closed within the body limit, on GraphQL and on the gateway', async () => {
    for (const path of ['/graphql', '/v1/chat/completions']) {
      const connection = await connect();
      connection.socket.write(`POST ${path} HTTP/1.1\r\nHost: byok\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":`);
      const closed = await closedWithin(connection, CUT_OFF_WITHIN_MS);
      connection.socket.destroy();
      expect({ path, closed: closed !== null }).toEqual({ path, closed: true });
      expect(closed?.afterMs).toBeGreaterThanOrEqual(BODY_TIMEOUT_SECONDS * 1000 - 100);
    }
  });
});

describe('what is not cut off', () => {
  it('a normal request, and a keep-alive connection until its own idle limit', async () => {
    const connection = await connect();
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: byok\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: byok\r\nConnection: close\r\n\r\n');
    const closed = await closedWithin(connection, CUT_OFF_WITHIN_MS);
    expect(closed?.received.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
  });

  it("an idle keep-alive connection is still closed at Node's keepAliveTimeout (5 s)", async () => {
    const connection = await connect();
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: byok\r\n\r\n');
    const closed = await closedWithin(connection, 9000);
    connection.socket.destroy();
    expect(closed?.received).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(closed?.afterMs).toBeGreaterThanOrEqual(4500);
  });

  it('an SSE stream silent for longer than the body limit between chunks runs to its end', async () => {
    const started = Date.now();
    const response = await streamCompletion(server, owner, { workspaceId: owner.workspaceId, input: input('OPENAI', 'one two three') });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThan(BODY_TIMEOUT_SECONDS * 1000 * 2);
    expect(response.events.filter((event) => event.event === 'delta').length).toBeGreaterThanOrEqual(2);
    expect(response.events.at(-1)?.event).toBe('done');
  });

  it('an oversized GraphQL body sent chunked (no content-length) is answered 413 with a JSON error', async () => {
    const connection = await connect();
    connection.socket.write('POST /graphql HTTP/1.1\r\nHost: byok\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = `{"query":"${'a'.repeat(64 * 1024)}`;
    for (let index = 0; index < 8 && !connection.socket.destroyed; index += 1) connection.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    if (!connection.socket.destroyed) connection.socket.write('0\r\n\r\n');
    // The whole answer (a JSON body ends with '}'), whether or not the connection is then kept alive.
    const deadline = Date.now() + CUT_OFF_WITHIN_MS;
    while (!/\r\n\r\n[\s\S]*}$/.test(connection.received()) && !connection.socket.destroyed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    connection.socket.destroy();
    const received = connection.received();
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    const body = received.slice(received.indexOf('\r\n\r\n') + 4);
    expect(body).toContain('"code":"BAD_REQUEST"');
    expect(body).toContain('larger than 256kb');
  });
});
