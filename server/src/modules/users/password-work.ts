import { AppError } from '../../errors';

/**
 * Bounds argon2 work under a flood: at most `concurrency` hashes run at once and at most `maxWaiting` wait;
 * anything beyond is refused at once (a queue of hundreds of hashes would only delay every sign-in).
 */
export class PasswordWorkLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** How many pieces of work have started (tests count real password checks with it). */
  started = 0;
  /** The most work ever running or waiting at once (never above concurrency + maxWaiting). */
  peakPending = 0;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new AppError('TOO_MANY_ATTEMPTS', 'Too many sign-in attempts right now. Try again in a moment.', { retryAfterSeconds: 1 });
      }
      const queued = new Promise<void>((resolve) => this.waiting.push(resolve));
      this.peakPending = Math.max(this.peakPending, this.active + this.waiting.length);
      await queued;
    } else {
      this.active += 1;
      this.peakPending = Math.max(this.peakPending, this.active + this.waiting.length);
    }
    try {
      this.started += 1;
      return await work();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
