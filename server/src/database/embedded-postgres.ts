import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite behind a loopback Postgres socket so the app uses the same `pg` driver path as production.
 * `dataDir` null keeps everything in memory (tests). PGlite is one backend session: the socket server
 * interleaves extended-protocol messages from concurrent connections (unnamed portals then clash:
 * `portal "" does not exist`), so clients must use a pool of exactly one connection. It has no
 * cross-connection LISTEN/NOTIFY; the app does not rely on it.
 */
export async function startEmbeddedPostgres(dataDir: string | null): Promise<EmbeddedPostgres> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = dataDir ? await PGlite.create({ dataDir }) : await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
