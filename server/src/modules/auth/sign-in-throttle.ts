import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppError, ensurePresent } from '../../errors';

export interface SignInThrottleLimits {
  /** Attempts on one account from one client address per window. */
  perAccountAndAddress: number;
  /**
   * Failures from one client address, across every account, per window. Past it the address keeps one attempt per
   * account it has not failed on in the window (see SignInThrottle); repeated guesses at any account are refused.
   */
  perAddress: number;
  /** Password checks of one account per window, whatever the addresses (guesses spread over many addresses). */
  perAccount: number;
  windowSeconds: number;
}

/** A reserved attempt: released on success (the owner proved the password) or refunded when no check ran. */
export interface SignInReservation {
  succeeded(): Promise<void>;
  refund(): Promise<void>;
}

interface CounterRow {
  key: string;
  attempts: number;
  reset_at: Date;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 32);

// One fixed-window counter per key: the upsert counts the attempt and returns the new count, atomically.
const COUNT_ATTEMPTS = `INSERT INTO sign_in_attempts (key, attempts, reset_at)
    SELECT key, 1, now() + make_interval(secs => $2) FROM unnest($1::text[]) AS keys(key)
  ON CONFLICT (key) DO UPDATE SET
    attempts = CASE WHEN sign_in_attempts.reset_at <= now() THEN 1 ELSE sign_in_attempts.attempts + 1 END,
    reset_at = CASE WHEN sign_in_attempts.reset_at <= now() THEN EXCLUDED.reset_at ELSE sign_in_attempts.reset_at END
  RETURNING key, attempts, reset_at`;

/**
 * Sign-in throttling reserved in the database before any password is checked: each counter is one upsert that
 * counts the attempt and returns the new count, so parallel guesses cannot all read "not locked yet" and each get
 * a password check. Keyed by the normalised email whether or not an account exists, so an unknown email and a
 * locked account answer alike. Three counters, one fixed window each (`windowSeconds`):
 *
 * - **account at one address** (`perAccountAndAddress`, 5): someone guessing from one address cannot lock the
 *   owner out from another; a success clears it.
 * - **address across accounts** (`perAddress`, 100): past it, an attempt is refused when this address has already
 *   tried this account in the window, and let through only as the address's first attempt at an account. Many
 *   people can share one address (an office, a carrier's NAT, a proxy that is not trusted): a hard per-address
 *   lock would let one of them (or 101 typos) lock every other account's owner out from there, so an account the
 *   address has not been failing on still gets its check. What the limit still buys: past it, one address gets
 *   one guess per account per window instead of `perAccountAndAddress`.
 * - **account across addresses** (`perAccount`, 50): guesses spread over many addresses (a botnet, forged
 *   `X-Forwarded-For` from a trusted proxy) at one account get at most this many password checks per window.
 *   Past it the account is refused from every address, the owner's included, until the window ends: the price of
 *   bounding a distributed guesser. Only attempts that passed the other two counters are counted here, so one
 *   address alone cannot lock an account for everyone (it gets `perAccountAndAddress` checks at most).
 */
export class SignInThrottle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly limits: SignInThrottleLimits,
  ) {}

  async reserve(email: string, clientAddress: string): Promise<SignInReservation> {
    const pairKey = `account:${digest(`${email}\u0000${clientAddress}`)}`;
    const addressKey = `address:${clientAddress}`;
    const accountKey = `email:${digest(email)}`;
    const local = await this.count([pairKey, addressKey]);
    const pair = ensurePresent(
      local.find((row) => row.key === pairKey),
      'the pair counter row',
    );
    const address = ensurePresent(
      local.find((row) => row.key === addressKey),
      'the address counter row',
    );
    // Past the address limit only an account this address has not tried in the window gets its check.
    const refusedBy = [
      ...(pair.attempts > this.limits.perAccountAndAddress ? [pair] : []),
      ...(address.attempts > this.limits.perAddress && pair.attempts > 1 ? [address] : []),
    ];
    if (refusedBy.length > 0) throw tooManyAttempts(latestReset(refusedBy));
    const [account] = await this.count([accountKey]);
    if (account && account.attempts > this.limits.perAccount) {
      // This attempt gets no check: only the local counters keep it (the account counter is past its limit anyway).
      throw tooManyAttempts(new Date(account.reset_at).getTime());
    }
    return {
      succeeded: async () => {
        // The owner proved the password: this pair starts afresh; the address and the account keep their other failures.
        await this.dataSource.query(`DELETE FROM sign_in_attempts WHERE key = $1`, [pairKey]);
        await this.refundKeys([addressKey, accountKey]);
      },
      refund: () => this.refundKeys([pairKey, addressKey, accountKey]),
    };
  }

  async deleteExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM sign_in_attempts WHERE reset_at < now()`);
  }

  private async count(keys: string[]): Promise<CounterRow[]> {
    return (await this.dataSource.query(COUNT_ATTEMPTS, [keys, this.limits.windowSeconds])) as CounterRow[];
  }

  private async refundKeys(keys: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE sign_in_attempts SET attempts = greatest(attempts - 1, 0) WHERE key = ANY($1)`, [keys]);
  }
}

const latestReset = (rows: CounterRow[]): number => Math.max(...rows.map((row) => new Date(row.reset_at).getTime()));

function tooManyAttempts(untilMs: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((untilMs - Date.now()) / 1000));
  return new AppError('TOO_MANY_ATTEMPTS', `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, {
    retryAfterSeconds,
  });
}
