import type { SchedulerLike } from 'rxjs';
import type { Clock, TimerHandle } from './clock.js';
import { createClockScheduler } from './clock-scheduler.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to. Timers fire in (time, creation order), so the
 * same program run twice fires the same timers in the same order: the basis of every
 * reproducible run. Tests and the lockstep driver call {@link advanceTo} / {@link increment}.
 */
export class VirtualClock implements Clock {
  readonly mode = 'virtual' as const;
  readonly scheduler: SchedulerLike;
  private time: number;
  private seq = 0;
  private heap: Timer[] = [];

  constructor(start = 0) {
    this.time = start;
    this.scheduler = createClockScheduler(this);
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer: Timer = { at: this.time + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Time of the earliest pending timer, or undefined when none is pending. */
  nextDue(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Number of timers still pending (cancelled ones excluded). */
  pending(): number {
    return this.heap.filter((t) => !t.cancelled).length;
  }

  /**
   * Fires every timer due at or before the current time, including timers those timers
   * set for the same instant. Returns how many fired.
   */
  runDue(): number {
    let fired = 0;
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (!top || top.at > this.time) return fired;
      this.pop();
      fired++;
      top.fn();
    }
  }

  /** Moves time forward to `t`, firing every timer due on the way, in order. */
  advanceTo(t: number): void {
    if (t < this.time) throw new Error(`VirtualClock.advanceTo(${t}): time cannot go back from ${this.time}`);
    for (;;) {
      const next = this.nextDue();
      if (next === undefined || next > t) break;
      this.time = next;
      this.runDue();
    }
    this.time = t;
  }

  /** Moves time forward by `ms` (xstate's SimulatedClock.increment). */
  increment(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /** Jumps to the next pending timer and fires everything due then. Returns false when none is pending. */
  step(): boolean {
    const next = this.nextDue();
    if (next === undefined) return false;
    this.time = Math.max(this.time, next);
    this.runDue();
    return true;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
