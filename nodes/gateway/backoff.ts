import type { Clock, TimerHandle } from '../../src/time/clock.js';

/** Delay before reconnect attempt `attempt` (0-based): min, doubling, capped at max. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
}

export interface ReconnectorOptions {
  clock: Pick<Clock, 'setTimer'>;
  minMs: number;
  maxMs: number;
  /** One connection attempt; resolves true when the link is up. */
  attempt: () => Promise<boolean>;
  /** Told the delay before each scheduled retry (for logs and tests). */
  onRetry?: (delayMs: number, attempt: number) => void;
}

/**
 * Retries a connection with exponential backoff on the injected clock. Adapters call
 * {@link connect} on open and {@link lost} when the link drops; {@link stop} on close.
 */
export class Reconnector {
  private failures = 0;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private busy = false;

  constructor(private readonly opts: ReconnectorOptions) {}

  /** Tries at once; on failure schedules retries. Resolves with the first attempt's outcome. */
  async connect(): Promise<boolean> {
    this.stopped = false;
    return this.tryOnce();
  }

  /** The link dropped: retry after the first backoff delay. */
  lost(): void {
    // The loss counts as the first failure: retries come after min, 2·min, 4·min, ...
    this.failures = 1;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private async tryOnce(): Promise<boolean> {
    if (this.stopped || this.busy) return false;
    this.busy = true;
    let ok = false;
    try {
      ok = await this.opts.attempt();
    } catch {
      ok = false;
    }
    this.busy = false;
    if (ok) {
      this.failures = 0;
      return true;
    }
    this.failures++;
    this.schedule();
    return false;
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const delay = backoffDelay(Math.max(0, this.failures - 1), this.opts.minMs, this.opts.maxMs);
    this.opts.onRetry?.(delay, this.failures);
    this.timer = this.opts.clock.setTimer(delay, () => {
      this.timer = undefined;
      void this.tryOnce();
    });
  }
}
