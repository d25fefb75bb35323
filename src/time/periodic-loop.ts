import type { Clock, TimerHandle } from './clock.js';
import { createRealtimeDeadlineTimer } from './realtime-deadline-timer.js';

/** Calls a function at an absolute clock time (never synchronously inside `at`). */
export interface DeadlineTimer {
  at(deadline: number, fn: () => void): TimerHandle;
}

/** A deadline timer made of the clock's own timers: exact on a virtual clock, coarse (setTimeout) on a real one. */
export function clockDeadlineTimer(clock: Pick<Clock, 'now' | 'setTimer'>): DeadlineTimer {
  return { at: (deadline, fn) => clock.setTimer(Math.max(0, deadline - clock.now()), fn) };
}

/** Told to the tick handler every cycle. */
export interface TickInfo {
  /** Cycle number, from 0. */
  readonly cycle: number;
  /** The deadline this tick serves: start + k·period, never drifting. */
  readonly scheduledAt: number;
  /** Clock time when the handler was called. */
  readonly now: number;
  /** now − scheduledAt (ms, ≥ 0). */
  readonly late: number;
  /** Deadlines skipped just before this tick because the loop was more than a period late. */
  readonly missed: number;
}

export interface LoopStats {
  readonly periodMs: number;
  readonly ticks: number;
  /** Deadlines skipped in all (skip-ahead). */
  readonly missed: number;
  readonly lateMeanMs: number;
  readonly lateMaxMs: number;
  /** 99th percentile of lateness (ms), to 10 µs resolution. */
  readonly lateP99Ms: number;
}

export interface PeriodicLoop {
  stop(): void;
  stats(): LoopStats;
}

export interface PeriodicLoopOptions {
  /** Clock time of the first deadline. Default: now + period. */
  readonly firstAt?: number;
  /** How to wait for a deadline. Default: the hybrid sleep-then-spin timer on a real clock, the clock's own timers on a virtual one. */
  readonly timer?: DeadlineTimer;
  /** For the default real-time timer: start spinning this long before a deadline (ms). */
  readonly spinMs?: number;
}

const BUCKET_MS = 0.01;
const BUCKETS = 10_000; // 0..100 ms, the last bucket holds everything later

/**
 * A loop that calls `onTick` at absolute deadlines `firstAt + k·periodMs`, so lateness in
 * one cycle never shifts the next (no drift). A tick more than a period late skips ahead
 * to the latest deadline passed and reports the skipped ones as missed: a slow cycle is
 * followed by a punctual one, not by a burst of catch-up ticks.
 */
export function createPeriodicLoop(
  clock: Pick<Clock, 'now' | 'setTimer' | 'mode'>,
  periodMs: number,
  onTick: (info: TickInfo) => void,
  options: PeriodicLoopOptions = {},
): PeriodicLoop {
  if (!(Number.isFinite(periodMs) && periodMs > 0)) throw new Error(`createPeriodicLoop: periodMs must be a positive number of ms, got ${periodMs}`);
  const timer = options.timer ?? (clock.mode === 'real' ? createRealtimeDeadlineTimer(clock, { spinMs: options.spinMs }) : clockDeadlineTimer(clock));
  const histogram = new Uint32Array(BUCKETS);
  let ticks = 0;
  let missed = 0;
  let lateSum = 0;
  let lateMax = 0;
  let running = true;
  let next = options.firstAt ?? clock.now() + periodMs;
  let handle: TimerHandle | undefined;

  const fire = (): void => {
    handle = undefined;
    if (!running) return;
    const now = clock.now();
    let scheduledAt = next;
    let skipped = 0;
    if (now - scheduledAt >= periodMs) {
      skipped = Math.floor((now - scheduledAt) / periodMs);
      scheduledAt += skipped * periodMs;
      missed += skipped;
    }
    const late = Math.max(0, now - scheduledAt);
    ticks++;
    lateSum += late;
    if (late > lateMax) lateMax = late;
    histogram[Math.min(BUCKETS - 1, Math.floor(late / BUCKET_MS))]++;
    next = scheduledAt + periodMs;
    onTick({ cycle: ticks - 1, scheduledAt, now, late, missed: skipped });
    if (running) handle = timer.at(next, fire);
  };
  handle = timer.at(next, fire);

  return {
    stop(): void {
      running = false;
      handle?.cancel();
      handle = undefined;
    },
    stats(): LoopStats {
      let p99 = 0;
      if (ticks > 0) {
        const rank = Math.ceil(0.99 * ticks);
        let seen = 0;
        for (let b = 0; b < BUCKETS; b++) {
          seen += histogram[b];
          if (seen >= rank) {
            p99 = Math.min((b + 1) * BUCKET_MS, lateMax);
            break;
          }
        }
      }
      return { periodMs, ticks, missed, lateMeanMs: ticks > 0 ? lateSum / ticks : 0, lateMaxMs: lateMax, lateP99Ms: p99 };
    },
  };
}
