import { describe, expect, it } from 'vitest';
import { Reconnector, backoffDelay } from '../../../nodes/gateway/backoff.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';

describe('reconnect backoff', () => {
  it('doubles from min to max', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((n) => backoffDelay(n, 100, 2000))).toEqual([100, 200, 400, 800, 1600, 2000, 2000, 2000]);
  });

  it('retries a lost link at min, 2·min, 4·min ... on the injected clock, and resets after success', async () => {
    const clock = new VirtualClock();
    const attempts: number[] = [];
    let deviceBack = false;
    const r = new Reconnector({
      clock,
      minMs: 100,
      maxMs: 1000,
      attempt: async () => {
        attempts.push(clock.now());
        return deviceBack;
      },
    });
    /** Advances virtual time one timer at a time, letting each attempt's promise settle. */
    const run = async (until: number): Promise<void> => {
      while ((clock.nextDue() ?? Infinity) <= until) {
        clock.step();
        await Promise.resolve();
        await Promise.resolve();
      }
      clock.advanceTo(until);
    };
    r.lost();
    await run(1500);
    expect(attempts).toEqual([100, 300, 700, 1500]);
    deviceBack = true;
    await run(5000);
    expect(attempts.at(-1)).toBe(2500); // capped at max
    expect(clock.pending()).toBe(0);
    r.lost();
    await run(6000);
    expect(attempts.at(-1)).toBe(5100);
    r.stop();
  });
});
