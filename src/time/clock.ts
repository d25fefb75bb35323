import type { SchedulerLike } from 'rxjs';

/** A pending timer; cancelling one that already fired does nothing. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * The one source of time for a tree. It is created at the root and handed to every
 * node, planner and simulator; nothing else reads wall time or starts timers.
 */
export interface Clock {
  /** `real` follows the wall clock; `virtual` moves only when its driver advances it. */
  readonly mode: 'real' | 'virtual';
  /** Milliseconds. Virtual clocks start at 0 unless told otherwise. */
  now(): number;
  /** Calls `fn` once, `delayMs` from now (0 = as soon as possible, after the caller returns). */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  /** The rxjs scheduler on this clock: pass it to `delay`, `debounceTime`, `interval`, ... */
  readonly scheduler: SchedulerLike;
}
