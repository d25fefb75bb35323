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
});
