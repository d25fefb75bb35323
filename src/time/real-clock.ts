import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { Clock, TimerHandle } from './clock.js';

/**
 * The wall clock: the one place (with the I/O edge) allowed to read real time.
 * `now()` is monotonic (performance.now) offset to the Unix epoch at start-up.
 */
export class RealClock implements Clock {
  readonly mode = 'real' as const;
  readonly scheduler: SchedulerLike = asyncScheduler;
  private readonly origin = Date.now() - performance.now();

  now(): number {
    return this.origin + performance.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    if (delayMs <= 0) {
      const h = setImmediate(fn);
      return { cancel: () => clearImmediate(h) };
    }
    const h = setTimeout(fn, delayMs);
    return { cancel: () => clearTimeout(h) };
  }
}

/** Starts a wall-time stopwatch; the returned function gives elapsed ms. Only for measuring, never for behavior. */
export function wallStopwatch(): () => number {
  const t0 = performance.now();
  return () => performance.now() - t0;
}

/** A stopwatch that always reads 0: virtual runs, where wall time must not steer behavior. */
export function frozenStopwatch(): () => number {
  return () => 0;
}
