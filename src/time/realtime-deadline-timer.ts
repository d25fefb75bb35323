import type { Clock, TimerHandle } from './clock.js';
import type { DeadlineTimer } from './periodic-loop.js';

export interface RealtimeDeadlineTimerOptions {
  /**
   * How long before the deadline to stop sleeping and start yield-spinning (ms). Node's
   * setTimeout wakes up to ~1 ms late (more under load), so sleep only until this margin.
   * Default 2.
   */
  readonly spinMs?: number;
}

/**
 * The hybrid wait for real time: sleep with setTimeout until `spinMs` before the deadline,
 * then yield-spin with setImmediate (other I/O still runs between spins) until the clock
 * reaches it. Costs a busy core during the last `spinMs` of every period; at 1 kHz that is
 * all of it.
 */
export function createRealtimeDeadlineTimer(clock: Pick<Clock, 'now'>, options: RealtimeDeadlineTimerOptions = {}): DeadlineTimer {
  const spinMs = options.spinMs ?? 2;
  return {
    at(deadline: number, fn: () => void): TimerHandle {
      let cancelled = false;
      let timeout: NodeJS.Timeout | undefined;
      let immediate: NodeJS.Immediate | undefined;
      const check = (): void => {
        timeout = undefined;
        immediate = undefined;
        if (cancelled) return;
        const remaining = deadline - clock.now();
        if (remaining <= 0) fn();
        else if (remaining > spinMs) timeout = setTimeout(check, remaining - spinMs);
        else immediate = setImmediate(check);
      };
      const remaining = deadline - clock.now();
      if (remaining > spinMs) timeout = setTimeout(check, remaining - spinMs);
      else immediate = setImmediate(check);
      return {
        cancel(): void {
          cancelled = true;
          if (timeout !== undefined) clearTimeout(timeout);
          if (immediate !== undefined) clearImmediate(immediate);
        },
      };
    },
  };
}
