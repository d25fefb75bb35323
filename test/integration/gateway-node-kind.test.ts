import { describe, expect, it } from 'vitest';
import { SimulatedAdapter } from '../../nodes/gateway/adapters/simulated/simulated-adapter.js';
import { createGatewayKind, type GatewayBehaviorOutput, type GatewayWorld } from '../../nodes/gateway/gateway-kind.js';
import { parseGatewayParams, type GatewayParams } from '../../nodes/gateway/points.js';
import type { NodeContext, NodeEvent } from '../../src/node/node-kind.js';
import { silentLogger } from '../../src/log/logger.js';
import { createRandom } from '../../src/time/random.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { advanceTo, settle } from '../unit/gateway/virtual-time.js';

// The node kind's parts driven directly in virtual time, over a simulated device the test
// holds (so it can unplug it): the paths a real broker cannot reach on cue.

const paramsWith = (over: Record<string, unknown> = {}): GatewayParams => parseGatewayParams({
  ...base,
  ...over,
});
const base = {
  adapter: { type: 'simulated' as const, model: 'echo' as const },
  watchdog_ms: 500,
  reconnect_min_ms: 100,
  reconnect_max_ms: 400,
  points: [
    { name: 'pump_fb', direction: 'in', type: 'number', rate_hz: 10 },
    { name: 'pump', direction: 'out', type: 'number', min: 0, max: 1, safe: 0 },
    { name: 'mode', direction: 'out', type: 'enum', values: ['off', 'auto'], safe: 'off' },
  ],
};

type WriteTask = { id: string; serial: number; from: string; verb: 'write'; args: { values: Record<string, number | string | boolean> }; receivedAt: number; updatedAt: number };

async function setup(over: Record<string, unknown> = {}) {
  const params = paramsWith(over);
  const clock = new VirtualClock();
  let device!: SimulatedAdapter;
  const kind = createGatewayKind({
    adapterFor: (p, c) => (device = new SimulatedAdapter({ points: p.points, model: 'echo', reconnectMinMs: p.reconnect_min_ms, reconnectMaxMs: p.reconnect_max_ms, clock: c })),
  });
  const ctx: NodeContext<GatewayParams> = {
    tree: 't',
    id: 'gw',
    kind: 'gateway',
    level: 0,
    parent: 'ctl',
    children: [],
    siblings: [],
    periodMs: 20,
    horizonMs: 200,
    replanMs: 20,
    parentPeriodMs: 100,
    baseDir: '.',
    params,
    clock,
    random: createRandom('1'),
    log: silentLogger,
    stopwatch: () => () => 0,
  };
  const parts = kind.create(ctx);
  const world = kind.world!(ctx) as GatewayWorld;
  let n = 0;
  const cycle = (task?: WriteTask, events: NodeEvent[] = []): GatewayBehaviorOutput =>
    parts.behave(world, undefined, { now: clock.now(), cycle: n++, task, children: {}, parent: { online: true, lastHeardAt: undefined }, peers: [], events } as unknown as never) as GatewayBehaviorOutput;
  await parts.start!();
  await settle();
  return { clock, device, parts, world, cycle, kind };
}

const write = (id: string, serial: number, values: WriteTask['args']['values'], at: number): WriteTask => ({ id, serial, from: 'ctl', verb: 'write', args: { values }, receivedAt: at, updatedAt: at });

describe('gateway node kind, in virtual time over a simulated device', () => {
  it('accept rejects a bad write with every problem, never clamping; a good one passes', async () => {
    const { parts } = await setup();
    const accept = (values: WriteTask['args']['values']) => parts.accept!(write('w', 1, values, 0) as never, {} as GatewayWorld);
    expect(accept({ pump: 0.5, mode: 'auto' })).toBeUndefined();
    expect(accept({ pump: 1.01, mode: 'fast', pump_fb: 1, fan: true })).toBe(
      [
        '"pump" = 1.01 is above its maximum 1; the command is rejected, not clamped',
        '"mode" takes one of ["off","auto"], got "fast"; the command is rejected, not clamped',
        '"pump_fb" is an input and cannot be written',
        'no output named "fan"; outputs are: pump, mode',
      ].join('; '),
    );
  });

  it('publishes sense only when samples are new or a quality changes, with the quality of each input', async () => {
    const { clock, cycle } = await setup();
    await advanceTo(clock, 20);
    const first = cycle();
    expect(first.sense).toEqual({ pump_fb: 0, _quality: { pump_fb: 'good' } });
    expect(cycle().sense).toBeUndefined();
    await advanceTo(clock, 120);
    expect(cycle().sense).toEqual({ pump_fb: 0, _quality: { pump_fb: 'good' } });
  });

  it('a write decided once per serial; outputs safe on broker loss; a serial received before the new birth is stale, the next one is fresh', async () => {
    const { clock, device, parts, cycle } = await setup();
    const t1 = write('hold', 1, { pump: 0.6 }, clock.now());
    expect(cycle(t1).status).toEqual({ state: 'executing', reason: 'holding pump=0.6' });
    await advanceTo(clock, 20);
    expect(device.state.pump).toBe(0.6);

    // Serial 2 reaches the node, then the broker goes and comes back before a cycle decides it.
    await advanceTo(clock, 100);
    const t2 = write('hold', 2, { pump: 0.9 }, clock.now());
    parts.link!('lost', clock.now());
    await advanceTo(clock, 150);
    expect(device.state.pump).toBe(0);
    parts.link!('restored', clock.now());
    const st = cycle(t2).status!;
    expect(st.state).toBe('executing');
    expect(st.reason).toMatch(/^command "hold" \(serial 2\) arrived at 100, before the gateway's birth at 150; stale commands are never replayed/);
    await advanceTo(clock, 200);
    expect(device.state.pump).toBe(0);
    expect(cycle(t2).health).toMatchObject({ safe: 'broker-lost', commands: { applied: 1, stale: 1 } });

    const t3 = write('hold', 3, { pump: 0.9 }, clock.now());
    expect(cycle(t3).status).toEqual({ state: 'executing', reason: 'holding pump=0.9' });
    await advanceTo(clock, 220);
    expect(device.state.pump).toBe(0.9);
  });

  it('watchdog: safe values and a status that says how to resume', async () => {
    const { clock, device, cycle } = await setup();
    const t1 = write('hold', 1, { pump: 0.3, mode: 'auto' }, clock.now());
    cycle(t1);
    await advanceTo(clock, 499);
    expect([device.state.pump, device.state.mode]).toEqual([0.3, 'auto']);
    await advanceTo(clock, 520);
    expect([device.state.pump, device.state.mode]).toEqual([0, 'off']);
    expect(cycle(t1).status?.reason).toBe('outputs at their safe values (no command within watchdog_ms (500 ms)); send a fresh command (a new serial) to resume');
  });

  it('device faults: reported once per run in errors, counted in health; after the reconnect inputs are good again', async () => {
    const { clock, device, cycle } = await setup();
    await advanceTo(clock, 20);
    cycle();
    device.unplug();
    await advanceTo(clock, 40);
    const down = cycle();
    expect(down.errors).toEqual([{ topic: 'simulated:echo', reason: 'device simulated:echo: disconnect: the simulated device was unplugged; reconnecting with backoff' }]);
    expect(down.sense?._quality).toEqual({ pump_fb: 'bad' });
    // Retries at 100, 200, 400 ms fail: one `connect` error for the run, not three.
    await advanceTo(clock, 1000);
    const later = cycle();
    expect(later.errors).toEqual([{ topic: 'simulated:echo', reason: 'device simulated:echo: connect: the simulated device is unplugged' }]);
    expect(later.health).toMatchObject({ device: 'disconnected', faults: { by_kind: { disconnect: 1, connect: 3 } } });
    expect(cycle().errors).toBeUndefined();
    device.plugIn();
    await advanceTo(clock, 1500);
    const back = cycle();
    expect(back.errors).toBeUndefined();
    expect(back.sense?._quality).toEqual({ pump_fb: 'good' });
    expect(back.health).toMatchObject({ device: 'connected', safe: 'device-reconnect' });
  });

  it('rate limit: writes beyond max_write_hz wait, and the newest value wins', async () => {
    const { clock, device, cycle } = await setup({ max_write_hz: 10, write_burst: 1, watchdog_ms: 0 });
    cycle(write('a', 1, { pump: 0.2 }, clock.now()));
    await advanceTo(clock, 10);
    expect(device.state.pump).toBe(0.2);
    cycle(write('a', 2, { pump: 0.4 }, clock.now()));
    await advanceTo(clock, 20);
    cycle(write('a', 3, { pump: 0.8 }, clock.now()));
    await advanceTo(clock, 90);
    expect(device.state.pump).toBe(0.2);
    await advanceTo(clock, 110);
    expect(device.state.pump).toBe(0.8);
    expect(device.writes.filter((w) => w.point === 'pump').map((w) => w.raw)).toEqual([0.2, 0.8]);
    expect(cycle().health).toMatchObject({ commands: { applied: 3 } });
  });
});
