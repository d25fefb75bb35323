import { describe, expect, it } from 'vitest';
import type { DeviceFault } from '../../../nodes/gateway/adapter.js';
import { SimulatedAdapter } from '../../../nodes/gateway/adapters/simulated/simulated-adapter.js';
import { createAdapter } from '../../../nodes/gateway/create-adapter.js';
import { GatewayDriver } from '../../../nodes/gateway/gateway-driver.js';
import type { GatewaySense } from '../../../nodes/gateway/gateway-core.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';
import { tankParams } from './fixtures.js';
import { advanceTo } from './virtual-time.js';

async function setup() {
  const clock = new VirtualClock();
  const params = tankParams({
    points: [
      { name: 'level', direction: 'in', type: 'number', units: 'm', rate_hz: 10 },
      { name: 'pump', direction: 'out', type: 'number', min: 0, max: 1, safe: 0 },
      { name: 'drain', direction: 'out', type: 'bool', safe: true },
    ],
    watchdog_ms: 1000,
    reconnect_min_ms: 100,
    reconnect_max_ms: 800,
  });
  const adapter = createAdapter(params, clock) as SimulatedAdapter;
  const senses: GatewaySense[] = [];
  const faults: Array<{ f: DeviceFault; report: boolean }> = [];
  const safes: string[] = [];
  const driver = new GatewayDriver({
    params,
    adapter,
    clock,
    onSense: (s) => senses.push(s),
    onFault: (f, report) => faults.push({ f, report }),
    onSafe: (r) => safes.push(r),
  });
  await driver.start();
  driver.birth();
  return { clock, adapter, driver, senses, faults, safes };
}

describe('GatewayDriver on the simulated tank, in virtual time', () => {
  it('samples at rate_hz with gap-free sequence numbers, and a commanded pump fills the tank', async () => {
    const { clock, adapter, driver, senses } = await setup();
    await advanceTo(clock, 0);
    expect(adapter.writes).toEqual([
      { point: 'pump', raw: 0 },
      { point: 'drain', raw: true },
    ]);
    expect(driver.command({ id: 'fill', serial: 1, receivedAt: 0, values: { pump: 1, drain: false } }).outcome).toBe('applied');
    for (let t = 100; t <= 900; t += 100) {
      await advanceTo(clock, t);
      driver.command({ id: 'fill', serial: 1 + t / 100, receivedAt: t, values: { pump: 1 } }); // keep-alive for the watchdog
    }
    expect(adapter.writes.slice(2)).toEqual([
      { point: 'pump', raw: 1 },
      { point: 'drain', raw: false },
    ]);
    expect(senses.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const levels = senses.map((s) => s.values.level as number);
    expect(levels[9]).toBeCloseTo(0.09, 2); // 0.1 m/s for 0.9 s
    expect(levels.every((l, i) => i === 0 || l > levels[i - 1])).toBe(true);
    await driver.stop();
  });

  it('watchdog: with no command for watchdog_ms every output goes to its safe value', async () => {
    const { clock, adapter, driver, safes } = await setup();
    driver.command({ id: 'fill', serial: 1, receivedAt: 0, values: { pump: 0.5, drain: false } });
    await advanceTo(clock, 999);
    expect(adapter.state).toMatchObject({ pump: 0.5, drain: false });
    await advanceTo(clock, 1000);
    expect(safes).toEqual(['watchdog']);
    expect(adapter.state).toMatchObject({ pump: 0, drain: true });
    await driver.stop();
  });

  it('device unplugged: faults are counted and reported once, reconnect backs off, outputs return to safe and wait for a fresh command', async () => {
    const { clock, adapter, driver, faults } = await setup();
    driver.command({ id: 'fill', serial: 1, receivedAt: 0, values: { pump: 0.5 } });
    await advanceTo(clock, 50);
    adapter.unplug();
    await advanceTo(clock, 60);
    expect(driver.core.quality(60)).toEqual({ level: 'bad' });
    await advanceTo(clock, 700); // retries at 150, 350, 750 (100, 200, 400 ms after the loss)
    const connects = faults.filter((x) => x.f.fault === 'connect');
    expect(connects).toHaveLength(2);
    expect(connects.map((x) => x.report)).toEqual([true, false]);
    adapter.plugIn();
    driver.command({ id: 'fill', serial: 2, receivedAt: 700, values: { pump: 0.5 } }); // keep the watchdog fed
    expect(adapter.state.pump).toBe(0.5); // the device kept its last output through the outage
    await advanceTo(clock, 760);
    expect(adapter.connected).toBe(true);
    expect(adapter.state.pump).toBe(0); // safe after the reconnect: the held command is not replayed
    expect(driver.core.health(760).faults).toMatchObject({ by_kind: { disconnect: 1, connect: 2 } });
    driver.command({ id: 'fill', serial: 3, receivedAt: 770, values: { pump: 0.25 } });
    await advanceTo(clock, 780);
    expect(adapter.state.pump).toBe(0.25);
    expect(driver.core.quality(780)).toEqual({ level: 'good' });
    await driver.stop();
  });

  it('broker outage: outputs go safe at once; after the new birth only fresh commands apply', async () => {
    const { clock, adapter, driver } = await setup();
    driver.command({ id: 'fill', serial: 1, receivedAt: 0, values: { pump: 0.8 } });
    await advanceTo(clock, 100);
    expect(adapter.state.pump).toBe(0.8);
    driver.brokerLost();
    await advanceTo(clock, 101);
    expect(adapter.state.pump).toBe(0);
    await advanceTo(clock, 400);
    driver.birth();
    expect(driver.command({ id: 'fill', serial: 1, receivedAt: 0, values: { pump: 0.8 } }).outcome).toBe('duplicate');
    expect(driver.command({ id: 'fill', serial: 2, receivedAt: 350, values: { pump: 0.8 } }).outcome).toBe('stale');
    await advanceTo(clock, 500);
    expect(adapter.state.pump).toBe(0);
    expect(driver.command({ id: 'fill', serial: 3, receivedAt: 500, values: { pump: 0.3 } }).outcome).toBe('applied');
    await advanceTo(clock, 501);
    expect(adapter.state.pump).toBe(0.3);
    await driver.stop();
    expect(adapter.state.pump).toBe(0); // stop leaves the device safe
  });
});
