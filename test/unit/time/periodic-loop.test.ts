import { describe, expect, it } from 'vitest';
import { createPeriodicLoop, type TickInfo } from '../../../src/time/periodic-loop.js';
import { createRealtimeDeadlineTimer } from '../../../src/time/realtime-deadline-timer.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';

describe('periodic loop in virtual time', () => {
  it('ticks at start + k·period exactly, with no lateness', () => {
    const clock = new VirtualClock(1000);
    const ticks: TickInfo[] = [];
    const loop = createPeriodicLoop(clock, 10, (i) => ticks.push(i));
    clock.advanceTo(1055);
    expect(ticks.map((t) => t.scheduledAt)).toEqual([1010, 1020, 1030, 1040, 1050]);
    expect(ticks.map((t) => t.now)).toEqual([1010, 1020, 1030, 1040, 1050]);
    expect(ticks.every((t) => t.late === 0 && t.missed === 0)).toBe(true);
    expect(ticks.map((t) => t.cycle)).toEqual([0, 1, 2, 3, 4]);
    expect(loop.stats()).toEqual({ periodMs: 10, ticks: 5, missed: 0, lateMeanMs: 0, lateMaxMs: 0, lateP99Ms: 0 });
  });

  it('starts at firstAt when given, and stops ticking after stop()', () => {
    const clock = new VirtualClock();
    const at: number[] = [];
    const loop = createPeriodicLoop(clock, 5, (i) => at.push(i.now), { firstAt: 0 });
    clock.advanceTo(12);
    loop.stop();
    clock.advanceTo(100);
    expect(at).toEqual([0, 5, 10]);
    expect(clock.pending()).toBe(0);
  });

  it('keeps to absolute deadlines when a tick runs long, and skips ahead counting missed cycles', () => {
    const clock = new VirtualClock();
    const ticks: TickInfo[] = [];
    // Cycle 1 "takes" 3 ms (under a period), cycle 3 takes 27 ms (over two periods).
    const cost: Record<number, number> = { 1: 3, 3: 27 };
    createPeriodicLoop(clock, 10, (i) => {
      ticks.push(i);
      if (cost[i.cycle]) clock.increment(cost[i.cycle]);
    });
    while (clock.now() < 100) clock.step();
    const brief = ticks.map((t) => [t.scheduledAt, t.now, t.late, t.missed]);
    expect(brief.slice(0, 6)).toEqual([
      [10, 10, 0, 0],
      [20, 20, 0, 0],
      [30, 30, 0, 0], // 3 ms overrun in cycle 1 did not shift cycle 2
      [40, 40, 0, 0],
      [60, 67, 7, 1], // cycle 3 ended at 67: deadline 50 is skipped, 60 served 7 ms late
      [70, 70, 0, 0],
    ]);
    expect(ticks.reduce((n, t) => n + t.missed, 0)).toBe(1);
    const stats = createPeriodicLoop(new VirtualClock(), 1, () => {}).stats();
    expect(stats.ticks).toBe(0);
  });

  it('reports lateness statistics', () => {
    const clock = new VirtualClock();
    let n = 0;
    const loop = createPeriodicLoop(clock, 10, () => {
      n++;
      if (n === 2) clock.increment(14); // next tick (deadline 30) runs at 34: 4 ms late
    });
    while (clock.now() < 100) clock.step();
    const s = loop.stats();
    expect(s.missed).toBe(0);
    expect(s.lateMaxMs).toBe(4);
    expect(s.lateP99Ms).toBe(4);
    expect(s.lateMeanMs).toBeCloseTo(4 / s.ticks, 9);
  });

  it('rejects a non-positive period', () => {
    expect(() => createPeriodicLoop(new VirtualClock(), 0, () => {})).toThrowErrorMatchingInlineSnapshot(
      `[Error: createPeriodicLoop: periodMs must be a positive number of ms, got 0]`,
    );
  });
});

describe('real-time deadline timer', () => {
  /** A clock that moves 0.1 ms every time it is read, so the spin phase ends without waiting on the wall clock. */
  const ticking = () => {
    let t = 0;
    return { now: () => (t += 0.1) };
  };

  it('fires once the clock reaches the deadline, never before', async () => {
    const clock = ticking();
    const timer = createRealtimeDeadlineTimer(clock, { spinMs: 2 });
    const firedAt = await new Promise<number>((resolve) => timer.at(1, () => resolve(clock.now())));
    expect(firedAt).toBeGreaterThanOrEqual(1);
  });

  it('does not fire a cancelled deadline', async () => {
    const clock = ticking();
    const timer = createRealtimeDeadlineTimer(clock, { spinMs: 2 });
    const fired: string[] = [];
    timer.at(0.5, () => fired.push('cancelled')).cancel();
    await new Promise<void>((resolve) => timer.at(1.5, () => resolve()));
    expect(fired).toEqual([]);
  });
});
