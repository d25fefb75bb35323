import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log/logger.js';
import { LockstepDriver, type DrivenNode } from '../../../src/tree/lockstep-driver.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';

/** A node that publishes on `out` each cycle through the driver's tap; `deliver` decides whether the message arrives. */
function pinger(clock: VirtualClock, driver: LockstepDriver, deliver: (n: number) => boolean): DrivenNode & { sent: number; got: number } {
  const tap = driver.tap();
  const node = {
    id: 'pinger',
    sent: 0,
    got: 0,
    wantsWake: () => false,
    runWake: () => undefined,
  };
  const cycle = (): void => {
    node.sent++;
    tap.published('t/out');
    if (deliver(node.sent)) {
      // Delivered a little later, as a broker would.
      queueMicrotask(() => {
        node.got++;
        tap.received('t/out');
      });
    }
    clock.setTimer(10, cycle);
  };
  clock.setTimer(10, cycle);
  return node;
}

describe('LockstepDriver', () => {
  it('moves time only once every counted delivery has arrived', async () => {
    const clock = new VirtualClock();
    const nodes: DrivenNode[] = [];
    const driver = new LockstepDriver(clock, nodes, silentLogger);
    driver.addSubscriber(['t/#']);
    const p = pinger(clock, driver, () => true);
    nodes.push(p);
    const end = await driver.run({ endMs: 1000 });
    expect(end).toBe('time');
    expect(p.sent).toBe(100);
    expect(p.got).toBe(100);
    expect(driver.stats).toMatchObject({ steps: 100, stalls: 0, messages: 100 });
  });

  it('gives up on a delivery that never comes after stallMs of wall time, says so, and goes on', async () => {
    const clock = new VirtualClock();
    const nodes: DrivenNode[] = [];
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (m: string) => warnings.push(m), child: () => log };
    const driver = new LockstepDriver(clock, nodes, log, 30);
    driver.addSubscriber(['t/#']);
    // The 3rd and the 7th messages are lost.
    const p = pinger(clock, driver, (n) => n !== 3 && n !== 7);
    nodes.push(p);
    const end = await driver.run({ endMs: 100 });
    expect(end).toBe('time');
    expect(p.sent).toBe(10);
    expect(driver.stats.stalls).toBe(2);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/1 message deliveries did not arrive within 30 ms at t=30/);
    expect(warnings[1]).toMatch(/at t=70/);
  });
});
