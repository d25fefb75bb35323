import { describe, expect, it } from 'vitest';
import { SimulatedAdapter } from '../../../nodes/gateway/adapters/simulated/simulated-adapter.js';
import { parseGatewayParams } from '../../../nodes/gateway/points.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';
import { advanceTo } from './virtual-time.js';

const motor = parseGatewayParams({
  adapter: { type: 'simulated', model: 'motor', bind: { speed: 'omega' } },
  points: [
    { name: 'omega', direction: 'in', type: 'number', units: 'rad/s' },
    { name: 'voltage', direction: 'out', type: 'number', min: -12, max: 12, safe: 0 },
  ],
});

describe('SimulatedAdapter', () => {
  it('steps its model on the injected clock: the motor settles at 10·voltage with a 0.2 s lag', async () => {
    const clock = new VirtualClock();
    const sim = new SimulatedAdapter({ points: motor.points, model: 'motor', bind: { speed: 'omega' }, stepMs: 10, clock });
    await sim.open();
    await sim.write(motor.points[1], 2);
    await advanceTo(clock, 200);
    const atTau = (await sim.read([motor.points[0]])).omega as number;
    expect(atTau).toBeGreaterThan(20 * 0.6);
    expect(atTau).toBeLessThan(20 * 0.7);
    await advanceTo(clock, 2000);
    expect((await sim.read([motor.points[0]])).omega).toBeCloseTo(20, 2);
    await sim.close();
    expect(clock.pending()).toBe(0);
  });

  it('injected timeouts take timeout_ms of clock time and come back as faults', async () => {
    const clock = new VirtualClock();
    const sim = new SimulatedAdapter({ points: motor.points, model: 'motor', timeoutMs: 100, clock });
    await sim.open();
    const faults: string[] = [];
    sim.on('fault', (f) => faults.push(`${f.fault}:${f.point}`));
    sim.injectTimeouts('omega', true);
    let result: unknown;
    void sim.read(motor.points).then((r) => (result = r));
    await advanceTo(clock, 99);
    expect(result).toBeUndefined();
    await advanceTo(clock, 100);
    expect(result).toMatchObject({ omega: { fault: 'timeout' }, voltage: 0 });
    expect(faults).toEqual(['timeout:omega']);
    sim.injectTimeouts('omega', false);
    expect(await sim.read([motor.points[0]])).toEqual({ omega: 0 });
    await sim.close();
  });

  // The shared ReconnectingAdapter rule, in virtual time: silence is a lost link.
  const silentReads = async (reopenAfterTimeouts: number | undefined, reads: number) => {
    const clock = new VirtualClock();
    const sim = new SimulatedAdapter({ points: motor.points, timeoutMs: 100, reconnectMinMs: 50, reopenAfterTimeouts, clock });
    await sim.open();
    const events: string[] = [];
    sim.on('disconnect', (why) => events.push(`disconnect at ${clock.now()}: ${why}`));
    sim.on('connect', () => events.push(`connect at ${clock.now()}`));
    sim.injectTimeouts('*', true);
    for (let i = 0; i < reads; i++) {
      const r = sim.read([motor.points[0]]);
      await advanceTo(clock, clock.now() + 100);
      await r;
    }
    sim.injectTimeouts('*', false);
    await advanceTo(clock, clock.now() + 200);
    const last = await sim.read([motor.points[0]]);
    await sim.close();
    return { events, last };
  };

  it('after reopen_after_timeouts unanswered requests in a row the link is dropped and reopened with the backoff', async () => {
    const { events, last } = await silentReads(3, 3);
    expect(events).toEqual(['disconnect at 300: no reply to 3 requests in a row; the link counts as lost and is reopened', 'connect at 350']);
    expect(last).toEqual({ omega: 0 });
    expect((await silentReads(3, 2)).events).toEqual([]);
    expect((await silentReads(undefined, 3)).events).toHaveLength(2); // 3 is the default
    expect((await silentReads(0, 10)).events).toEqual([]); // 0: never
  });

  it('an answer in between starts the count again', async () => {
    const clock = new VirtualClock();
    const sim = new SimulatedAdapter({ points: motor.points, timeoutMs: 100, clock });
    await sim.open();
    let drops = 0;
    sim.on('disconnect', () => drops++);
    sim.injectTimeouts('omega', true);
    for (let i = 0; i < 6; i++) {
      const r = sim.read(i % 2 === 0 ? [motor.points[0]] : motor.points); // every second read also reads voltage, which answers
      await advanceTo(clock, clock.now() + 100);
      await r;
    }
    expect(drops).toBe(0);
    expect(sim.connected).toBe(true);
    await sim.close();
  });
});
