import { describe, expect, it } from 'vitest';
import { debounceTime, interval, take, Subject } from 'rxjs';
import { VirtualClock } from '../../../src/time/virtual-clock.js';

describe('VirtualClock', () => {
  it('fires timers in time order, and in creation order at the same time', () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.setTimer(20, () => order.push('b@20'));
    clock.setTimer(10, () => order.push('a@10'));
    clock.setTimer(20, () => order.push('c@20'));
    clock.advanceTo(15);
    expect(order).toEqual(['a@10']);
    expect(clock.now()).toBe(15);
    clock.advanceTo(20);
    expect(order).toEqual(['a@10', 'b@20', 'c@20']);
  });

  it('runs timers set by timers at the same instant, and skips cancelled ones', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const h = clock.setTimer(5, () => seen.push(-1));
    clock.setTimer(5, () => clock.setTimer(0, () => seen.push(clock.now())));
    h.cancel();
    clock.increment(5);
    expect(seen).toEqual([5]);
    expect(clock.pending()).toBe(0);
  });

  it('refuses to go back in time', () => {
    const clock = new VirtualClock(100);
    expect(() => clock.advanceTo(50)).toThrow(/cannot go back/);
  });

  it('step() jumps to the next timer only', () => {
    const clock = new VirtualClock();
    clock.setTimer(1000, () => undefined);
    clock.setTimer(3000, () => undefined);
    expect(clock.step()).toBe(true);
    expect(clock.now()).toBe(1000);
    expect(clock.nextDue()).toBe(3000);
  });

  it('drives rxjs time operators through its scheduler', () => {
    const clock = new VirtualClock();
    const ticks: number[] = [];
    interval(100, clock.scheduler).pipe(take(3)).subscribe(() => ticks.push(clock.now()));
    clock.advanceTo(1000);
    expect(ticks).toEqual([100, 200, 300]);

    const input = new Subject<number>();
    const out: Array<[number, number]> = [];
    input.pipe(debounceTime(50, clock.scheduler)).subscribe((v) => out.push([clock.now(), v]));
    input.next(1);
    clock.increment(20);
    input.next(2);
    clock.increment(100);
    expect(out).toEqual([[1070, 2]]);
  });
});
