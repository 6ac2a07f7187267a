import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppError } from '../../errors';

export interface SignInThrottleLimits {
  /** Attempts on one account from one client address per window. */
  perAccountAndAddress: number;
  /** Attempts from one client address, across every account, per window. */
  perAddress: number;
  windowSeconds: number;
}

/** A reserved attempt: released on success (the owner proved the password) or refunded when no check ran. */
export interface SignInReservation {
  succeeded(): Promise<void>;
  refund(): Promise<void>;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 32);

/**
 * Sign-in throttling reserved in the database before any password is checked: one upsert counts the attempt
 * for the (account, address) pair and for the address, and returns the new counts, so parallel guesses cannot
 * all read "not locked yet" and each get a password check. Keyed by the normalised email whether or not an
 * account exists, so an unknown email and a locked account answer alike. Keyed per client address too, so
 * someone guessing from one address cannot lock the owner out from another.
 */
export class SignInThrottle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly limits: SignInThrottleLimits,
  ) {}

  async reserve(email: string, clientAddress: string): Promise<SignInReservation> {
    const pairKey = `account:${digest(`${email}\u0000${clientAddress}`)}`;
    const addressKey = `address:${clientAddress}`;
    const rows = (await this.dataSource.query(
      `INSERT INTO sign_in_attempts (key, attempts, reset_at)
         VALUES ($1, 1, now() + make_interval(secs => $3)), ($2, 1, now() + make_interval(secs => $3))
       ON CONFLICT (key) DO UPDATE SET
         attempts = CASE WHEN sign_in_attempts.reset_at <= now() THEN 1 ELSE sign_in_attempts.attempts + 1 END,
         reset_at = CASE WHEN sign_in_attempts.reset_at <= now() THEN EXCLUDED.reset_at ELSE sign_in_attempts.reset_at END
       RETURNING key, attempts, reset_at`,
      [pairKey, addressKey, this.limits.windowSeconds],
    )) as Array<{ key: string; attempts: number; reset_at: Date }>;
    const limitOf = (key: string): number => (key === pairKey ? this.limits.perAccountAndAddress : this.limits.perAddress);
    const exceeded = rows.filter((row) => row.attempts > limitOf(row.key));
    if (exceeded.length > 0) {
      const until = Math.max(...exceeded.map((row) => new Date(row.reset_at).getTime()));
      throw tooManyAttempts(until);
    }
    return {
      succeeded: async () => {
        // The owner proved the password: this pair starts afresh; the address keeps its other failures.
        await this.dataSource.query(`DELETE FROM sign_in_attempts WHERE key = $1`, [pairKey]);
        await this.refundKeys([addressKey]);
      },
      refund: () => this.refundKeys([pairKey, addressKey]),
    };
  }

  async deleteExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM sign_in_attempts WHERE reset_at < now()`);
  }

  private async refundKeys(keys: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE sign_in_attempts SET attempts = greatest(attempts - 1, 0) WHERE key = ANY($1)`, [keys]);
  }
}

export function tooManyAttempts(untilMs: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((untilMs - Date.now()) / 1000));
  return new AppError('TOO_MANY_ATTEMPTS', `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, {
    retryAfterSeconds,
  });
}
