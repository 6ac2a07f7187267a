import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Logger } from '../logging/logger';

/** The channel the database's triggers notify on (migration 1796300000001-ChangeFeed), with the changed table as payload. */
export const CHANGE_CHANNEL = 'byok_changes';
const PROBE_PREFIX = 'probe:';
/** How long the start-up probe waits for its own notification before deciding the database cannot deliver them. */
const PROBE_TIMEOUT_MS = 1000;
const RECONNECT_DELAY_MS = 1000;

/**
 * Tells every process which tables changed, through Postgres LISTEN/NOTIFY: triggers on the tables that
 * authentication, membership and key resolution read notify on commit, from whichever process (or tool)
 * wrote. Caches built on it are used only while the feed is `live`: a database that cannot deliver
 * notifications (embedded PGlite behind its socket has no cross-connection LISTEN) or a lost listener
 * connection turns every cache off — correct, only slower — until the feed is back.
 */
export class ChangeFeed {
  private client: Client | null = null;
  private readonly listeners = new Set<(table: string | null) => void>();
  private readonly pendingProbes = new Map<string, () => void>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private liveState = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    /** Sends the probe through the app's own pool, as any writer would. */
    private readonly notify: (payload: string) => Promise<unknown>,
  ) {}

  get live(): boolean {
    return this.liveState;
  }

  /** `table` null means "anything may have changed" (the feed went down or came back). */
  onChange(listener: (table: string | null) => void): void {
    this.listeners.add(listener);
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.setLive(false);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private setLive(live: boolean): void {
    const changed = this.liveState !== live;
    this.liveState = live;
    // Whatever was cached before an outage (or before the feed proved itself) may be stale.
    if (changed) for (const listener of this.listeners) listener(null);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'byok-change-feed' });
    client.on('notification', (message) => {
      const payload = message.payload ?? '';
      if (payload.startsWith(PROBE_PREFIX)) {
        this.pendingProbes.get(payload.slice(PROBE_PREFIX.length))?.();
        return;
      }
      for (const listener of this.listeners) listener(payload);
    });
    const lost = (): void => {
      if (this.client !== client) return;
      this.client = null;
      this.setLive(false);
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      this.client = client;
      if (await this.probe()) {
        this.setLive(true);
      } else {
        this.logger.info('the database does not deliver notifications across connections: in-process caches stay off');
        this.client = null;
        await client.end().catch(() => undefined);
      }
    } catch (error) {
      this.logger.warn('change feed unavailable, caches off until it reconnects', { error: error instanceof Error ? error.message : 'unknown' });
      this.client = null;
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  /** A notification sent through the pool must come back through the listener, or nothing can be cached. */
  private async probe(): Promise<boolean> {
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<boolean>((resolve) => {
      this.pendingProbes.set(id, () => resolve(true));
      timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    });
    try {
      await this.notify(`${PROBE_PREFIX}${id}`);
      return await arrived;
    } finally {
      clearTimeout(timer);
      this.pendingProbes.delete(id);
    }
  }

  /**
   * Resolves once every change committed before the call has reached this process's caches: notifications
   * arrive in commit order, so when a probe sent now comes back, all earlier ones have been applied. Called
   * after a mutation, before its answer goes out, so whoever changed something sees it on their next request
   * here (other processes follow within the feed's delay).
   */
  async catchUp(): Promise<void> {
    if (!this.liveState) return;
    if (!(await this.probe().catch(() => false))) {
      // The feed did not answer in time: trust nothing cached.
      for (const listener of this.listeners) listener(null);
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }
}

/**
 * A read-through map that is emptied whenever one of its tables changes. A value loaded while a change
 * arrived is not kept (the generation moved), so a slow read can never re-insert what was just invalidated.
 * Never put a plaintext provider key in one: cache rows, open them per request.
 */
export class InvalidatedCache<V> {
  private readonly entries = new Map<string, V>();
  private generation = 0;

  constructor(
    private readonly feed: ChangeFeed | null,
    tables: readonly string[],
    private readonly maxEntries = 10_000,
  ) {
    const watched = new Set(tables);
    feed?.onChange((table) => {
      if (table === null || watched.has(table)) this.clear();
    });
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const feed = this.feed;
    if (!feed?.live) return load();
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation && feed.live) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  clear(): void {
    this.entries.clear();
    this.generation += 1;
  }
}
