import type { VirtualClock } from '../../../src/time/virtual-clock.js';

/** Lets promise chains started by fired timers run (adapters answer on microtasks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Advances virtual time to `t`, one due timer at a time, settling promises after each. */
export async function advanceTo(clock: VirtualClock, t: number): Promise<void> {
  await settle();
  for (;;) {
    const next = clock.nextDue();
    if (next === undefined || next > t) break;
    clock.step();
    await settle();
  }
  clock.advanceTo(t);
  await settle();
}
