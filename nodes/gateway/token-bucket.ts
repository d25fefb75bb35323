/**
 * A token bucket on explicit time: `capacity` writes back to back, refilled at `ratePerS`.
 * Pure: the caller passes `now` (ms), so it runs the same in virtual and real time.
 */
export class TokenBucket {
  private tokens: number;
  private last: number | undefined;

  constructor(
    private readonly ratePerS: number,
    private readonly capacity: number,
  ) {
    this.tokens = capacity;
  }

  private refill(now: number): void {
    if (this.last !== undefined && now > this.last) this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.ratePerS) / 1000);
    if (this.last === undefined || now > this.last) this.last = now;
  }

  /** Takes a token if one is there. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** When the next token will be there (now if one is). */
  readyAt(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? now : now + ((1 - this.tokens) * 1000) / this.ratePerS;
  }
}
