/**
 * A real webhook endpoint for the tests: a local node http server that verifies `byok-signature` with the
 * secret exactly as a customer would, and can be taken down and brought back on the same port.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

interface ReceivedDelivery {
  body: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
  rawBody: string;
  signature: string;
  signatureValid: boolean;
  headers: Record<string, string | string[] | undefined>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  /** Set after createWebhook returned it. */
  secret: string | null;
  /** Status to answer with (default 200). */
  status: number;
  /** Extra response headers (e.g. a redirect's location). */
  headers: Record<string, string>;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Verifies `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` within 5 minutes of now. */
function verifySignature(secret: string, header: string, rawBody: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const [, t, v1] = match as unknown as [string, string, string];
  if (Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let server: Server | null = null;
  let port = 0;
  const sockets = new Set<Socket>();
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    secret: null,
    status: 200,
    headers: {},
    async down() {
      const listening = server;
      if (!listening) return;
      const closing = new Promise<void>((resolve) => listening.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closing;
      server = null;
    },
    async up() {
      if (server) return;
      const next = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const rawBody = Buffer.concat(chunks).toString('utf8');
          const signature = String(req.headers['byok-signature'] ?? '');
          receiver.received.push({
            body: JSON.parse(rawBody) as ReceivedDelivery['body'],
            rawBody,
            signature,
            signatureValid: receiver.secret !== null && verifySignature(receiver.secret, signature, rawBody),
            headers: req.headers,
          });
          res.writeHead(receiver.status, { ...receiver.headers, 'content-type': 'text/plain' }).end('thanks');
        });
      });
      next.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => next.listen(port, '127.0.0.1', () => resolve()));
      port = (next.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/hooks/byok`;
      server = next;
    },
    close() {
      return receiver.down();
    },
  };
  await receiver.up();
  return receiver;
}

/** Polls until `predicate` holds (deliveries are sent in the background). */
export async function eventually<T>(read: () => Promise<T> | T, predicate: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
