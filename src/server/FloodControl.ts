/**
 * Per-socket flood control. Negotiation traffic is never throttled (it only counts towards a
 * high hard cap that stops abusive sockets); other messages beyond the allowed rate are dropped,
 * answered with a `fastmsg` warning at most once per interval, and too many warnings disconnect.
 */
import type { FloodControlConfig } from './config';

export type FloodVerdict = 'ok' | 'drop' | 'warn' | 'disconnect';

export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly now: () => number,
  ) {
    this.#tokens = capacity;
    this.#last = now();
  }

  take(): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#last) / 1000) * this.refillPerSecond);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export class FloodController {
  readonly #soft: TokenBucket;
  readonly #hard: TokenBucket;
  #lastWarning = -Infinity;
  #warnings: number[] = [];

  constructor(
    private readonly config: Required<FloodControlConfig>,
    private readonly now: () => number = Date.now,
  ) {
    this.#soft = new TokenBucket(config.burst, config.ratePerSecond, now);
    this.#hard = new TokenBucket(config.hardBurst, config.hardRatePerSecond, now);
  }

  check(isNegotiation: boolean): FloodVerdict {
    if (!this.#hard.take()) return 'disconnect';
    if (isNegotiation || this.#soft.take()) return 'ok';
    const now = this.now();
    if (now - this.#lastWarning < this.config.warningIntervalMs) return 'drop';
    this.#lastWarning = now;
    this.#warnings = this.#warnings.filter((t) => now - t < this.config.strikeWindowMs);
    this.#warnings.push(now);
    return this.#warnings.length > this.config.maxWarnings ? 'disconnect' : 'warn';
  }
}
