import type { Logger } from '../../logging/logger';

const SESSION_CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

export interface SessionCleanup {
  /** Stops the timer and waits for a sweep in progress, so the database can be closed safely. */
  stop(): Promise<void>;
}

/**
 * Deletes expired sessions now and then every `intervalMs`. Expired sessions already fail to authenticate;
 * this only keeps the table small. The timer is unref'd so it never holds the process open.
 */
export async function startSessionCleanup(
  deleteExpiredSessions: () => Promise<number>,
  logger: Logger,
  intervalMs: number = SESSION_CLEANUP_INTERVAL_MS,
): Promise<SessionCleanup> {
  let running: Promise<void> | null = null;
  const sweep = (): Promise<void> => {
    running ??= deleteExpiredSessions()
      .then(
        (deleted) => {
          if (deleted > 0) logger.info('deleted expired sessions', { deleted });
        },
        (error: unknown) => logger.warn('expired-session cleanup failed', { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        running = null;
      });
    return running;
  };
  await sweep();
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      if (running) await running;
    },
  };
}
