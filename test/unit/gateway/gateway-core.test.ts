import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceFault } from '../../../nodes/gateway/adapter.js';
import { GatewayCore, type GatewayCommand } from '../../../nodes/gateway/gateway-core.js';
import { toEngineering, toRaw } from '../../../nodes/gateway/scaling.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';
import { tankParams } from './fixtures.js';

let serial = 0;
const cmd = (values: Record<string, unknown>, receivedAt: number, id = 'w'): GatewayCommand => ({ id, serial: ++serial, receivedAt, values });

/** A core that is online, with the device connected and the start-up safe writes done. */
function onlineCore(clock: VirtualClock, over = {}): GatewayCore {
  const core = new GatewayCore(tankParams(over));
  core.deviceConnected(clock.now());
  core.birth(clock.now());
  const plan = core.tick(clock.now());
  for (const w of plan.writes) core.writeDone(w.point.name, undefined, clock.now());
  for (const r of plan.reads) core.readDone({ [r.name]: 0 }, clock.now());
  return core;
}

/** Ticks and completes every write at once; returns what was written, in order. */
function flush(core: GatewayCore, now: number): Array<[string, unknown, string]> {
  const plan = core.tick(now);
  for (const w of plan.writes) core.writeDone(w.point.name, undefined, now);
  return plan.writes.map((w) => [w.point.name, w.value, w.cause]);
}

describe('GatewayCore', () => {
  it('writes every output safe value at start, before any command', () => {
    const clock = new VirtualClock();
    const core = new GatewayCore(tankParams());
    core.deviceConnected(0);
    expect(flush(core, 0)).toEqual([
      ['pump', 0, 'safe'],
      ['drain', true, 'safe'],
      ['mode', 'off', 'safe'],
    ]);
    expect(core.safeReason()).toBe('start');
    expect(clock.now()).toBe(0);
  });

  it('rejects out-of-range and mistyped values with a reason, never clamping, and applies nothing of that command', () => {
    const clock = new VirtualClock();
    const core = onlineCore(clock);
    const d = core.command(cmd({ pump: 1.5, mode: 'auto' }, 0), 0);
    expect(d.outcome).toBe('rejected');
    if (d.outcome !== 'rejected') return;
    expect(d.reason).toBe('"pump" = 1.5 is above its maximum 1; the command is rejected, not clamped');
    expect(core.desiredOutputs()).toEqual({ pump: 0, drain: true, mode: 'off' });
    expect(flush(core, 0)).toEqual([]);

    const wrong = core.command(cmd({ drain: 'yes', mode: 'turbo', level: 3, fan: 1 }, 0), 0);
    expect(wrong.outcome === 'rejected' && wrong.problems.map((p) => p.reason)).toEqual([
      '"drain" takes true or false, got "yes"; the command is rejected, not clamped',
      '"mode" takes one of ["off","auto","manual"], got "turbo"; the command is rejected, not clamped',
      '"level" is an input and cannot be written',
      'no output named "fan"; outputs are: pump, drain, mode',
    ]);
  });

  it('property: any in-range pump value is applied exactly, any out-of-range one rejected', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), (v) => {
        const core = onlineCore(new VirtualClock());
        const d = core.command(cmd({ pump: v }, 0), 0);
        if (v >= 0 && v <= 1) return d.outcome === 'applied' && core.desiredOutputs().pump === v;
        return d.outcome === 'rejected' && core.desiredOutputs().pump === 0;
      }),
    );
  });

  it('scales raw to engineering and back (raw = (value - offset) / scale)', () => {
    const p = { type: 'number' as const, scale: 0.1, offset: -40 };
    expect(toEngineering(p, 650)).toBeCloseTo(25);
    expect(toRaw(p, 25)).toBeCloseTo(650);
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0.001, max: 1000, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), (v, scale, offset) => {
        const q = { type: 'number' as const, scale, offset };
        return Math.abs((toEngineering(q, toRaw(q, v)) as number) - v) <= 1e-6 * Math.max(1, Math.abs(v));
      }),
    );
    const clock = new VirtualClock();
    const core = onlineCore(clock);
    const plan = core.tick(50);
    expect(plan.reads.map((r) => r.name)).toEqual(['level']);
    core.readDone({ level: 1234 }, 50);
    expect(core.takeSense(50)?.values).toEqual({ level: 1.234 });
  });

  it('rate-limits command writes per output (burst, then max_write_hz) and writes the newest value', () => {
    const clock = new VirtualClock();
    const core = onlineCore(clock); // 10 Hz, burst 2
    const written: unknown[] = [];
    for (let i = 1; i <= 5; i++) {
      core.command(cmd({ pump: i / 10 }, 0), 0);
      written.push(...flush(core, 0).map((w) => w[1]));
    }
    expect(written).toEqual([0.1, 0.2]);
    const plan = core.tick(0);
    expect(plan.writes).toEqual([]);
    expect(plan.nextAt).toBe(50); // the next sample of level comes before the token
    expect(flush(core, 99)).toEqual([]);
    expect(core.tick(99).nextAt).toBeCloseTo(100);
    expect(flush(core, 100)).toEqual([['pump', 0.5, 'command']]);
    expect(core.health(100).commands).toMatchObject({ applied: 5 });
  });

  it('watchdog: no command within watchdog_ms puts every output to its safe value, bypassing the rate limit', () => {
    const clock = new VirtualClock();
    const core = onlineCore(clock); // watchdog 500 ms
    core.command(cmd({ pump: 0.8, drain: false, mode: 'auto' }, 0), 0);
    flush(core, 0);
    core.command(cmd({ pump: 0.9 }, 300), 300);
    flush(core, 300);
    const before = core.tick(799);
    expect(before.safed).toBeUndefined();
    expect(before.nextAt).toBe(800);
    const plan = core.tick(800);
    expect(plan.safed).toBe('watchdog');
    expect(plan.writes.map((w) => [w.point.name, w.value, w.cause])).toEqual([
      ['pump', 0, 'safe'],
      ['drain', true, 'safe'],
      ['mode', 'off', 'safe'],
    ]);
    expect(core.safeReason()).toBe('watchdog');
  });

  it('never replays a stale command: after broker loss and a new birth, only commands that arrive after the birth apply', () => {
    const clock = new VirtualClock();
    const core = onlineCore(clock, { watchdog_ms: 0 });
    const task = cmd({ pump: 0.7 }, 10);
    expect(core.command(task, 10).outcome).toBe('applied');
    flush(core, 10);
    core.brokerLost(100);
    expect(flush(core, 100)).toEqual([['pump', 0, 'safe']]);
    const during = core.command(cmd({ pump: 0.6 }, 150), 150);
    expect(during.outcome).toBe('stale');
    core.birth(200);
    // The runtime still holds the old task; handing it in again does nothing.
    expect(core.command(task, 210).outcome).toBe('duplicate');
    // A queued command (new serial) delivered after reconnect but received before the birth: stale.
    const queued = core.command({ ...cmd({ pump: 0.5 }, 190) }, 210);
    expect(queued.outcome === 'stale' && queued.reason).toMatch(/before the gateway's birth at 200; stale commands are never replayed/);
    // Sent (sender clock) before the birth but received after it: stale too.
    expect(core.command({ ...cmd({ pump: 0.5 }, 205), sentAt: 150 }, 210).outcome).toBe('stale');
    expect(flush(core, 210)).toEqual([]);
    expect(core.desiredOutputs().pump).toBe(0);
    expect(core.command(cmd({ pump: 0.4 }, 220), 220).outcome).toBe('applied');
    expect(flush(core, 220)).toEqual([['pump', 0.4, 'command']]);
  });

  it('numbers sensations 0, 1, 2, ... per birth, only when new samples came in', () => {
    const clock = new VirtualClock();
    const core = onlineCore(clock);
    const seqs: number[] = [];
    for (let t = 0; t <= 200; t += 50) {
      const plan = core.tick(t);
      if (plan.reads.length) core.readDone({ level: t }, t);
      const s = core.takeSense(t);
      if (s) seqs.push(s.seq);
      expect(core.takeSense(t)).toBeUndefined();
    }
    expect(seqs).toEqual([0, 1, 2, 3, 4]);
    core.birth(300);
    core.readDone({ level: 1 }, 300);
    expect(core.takeSense(300)?.seq).toBe(0);
  });

  it('samples each input at its own rate without drift', () => {
    const core = onlineCore(new VirtualClock());
    const times: number[] = [0];
    let t = 1;
    while (t <= 1000) {
      const plan = core.tick(t);
      for (const r of plan.reads) {
        times.push(t);
        core.readDone({ [r.name]: 0 }, t);
      }
      t = Math.min(plan.nextAt, t + 500);
    }
    expect(times).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 650, 700, 750, 800, 850, 900, 950, 1000]);
  });

  it('keeps device-fault books and per-point quality good / bad / stale', () => {
    const core = onlineCore(new VirtualClock());
    core.readDone({ level: 5 }, 0);
    expect(core.quality(0)).toEqual({ level: 'good' });
    expect(core.quality(151)).toEqual({ level: 'stale' }); // 3 periods of 50 ms
    const t = deviceFault('timeout', 'no reply', 'level');
    expect(core.recordFault(t, 200)).toBe(true);
    expect(core.recordFault(t, 250)).toBe(false);
    core.readDone({ level: t }, 250);
    expect(core.quality(250)).toEqual({ level: 'bad' });
    expect(core.readDone({ level: 'x' }, 260)).toEqual([{ fault: 'parse', point: 'level', message: 'device sent "x" for number point "level"' }]);
    core.readDone({ level: 6 }, 300);
    expect(core.quality(300)).toEqual({ level: 'good' });
    expect(core.recordFault(t, 350)).toBe(true);
    expect(core.health(350).faults).toEqual({ total: 3, by_kind: { timeout: 3 }, last: { kind: 'timeout', point: 'level', message: 'no reply', t: 350 } });
  });

  it('after a device reconnect, outputs go back to safe and wait for a fresh command', () => {
    const core = onlineCore(new VirtualClock(), { watchdog_ms: 0 });
    const task = cmd({ pump: 0.5 }, 0);
    core.command(task, 0);
    flush(core, 0);
    core.deviceDisconnected();
    expect(core.quality(10)).toEqual({ level: 'bad' });
    expect(core.tick(10).writes).toEqual([]);
    core.deviceConnected(20);
    expect(flush(core, 20)).toEqual([
      ['pump', 0, 'safe'],
      ['drain', true, 'safe'],
      ['mode', 'off', 'safe'],
    ]);
    expect(core.command(task, 30).outcome).toBe('duplicate');
    core.command(cmd({ pump: 0.5 }, 40), 40);
    expect(flush(core, 40)).toEqual([['pump', 0.5, 'command']]);
  });

  it('retries a failed write after reconnect_min_ms, not in a busy loop', () => {
    const core = onlineCore(new VirtualClock(), { watchdog_ms: 0, reconnect_min_ms: 100 });
    core.command(cmd({ pump: 0.5 }, 0), 0);
    const plan = core.tick(0);
    core.writeDone('pump', deviceFault('timeout', 'no reply', 'pump'), 5);
    expect(plan.writes).toHaveLength(1);
    const again = core.tick(5);
    expect(again.writes).toEqual([]);
    expect(again.nextAt).toBe(50); // the next sample comes first; the retry is at 105
    expect(core.tick(105).writes.map((w) => w.value)).toEqual([0.5]);
  });
});

describe('GatewayCore write tickets', () => {
  it('ignores the result of a write started before a device reconnect', () => {
    const core = onlineCore(new VirtualClock(), { watchdog_ms: 0 });
    core.command(cmd({ pump: 0.5 }, 0), 0);
    const old = core.tick(0).writes[0];
    core.deviceDisconnected();
    core.deviceConnected(10);
    const fresh = core.tick(10).writes.find((w) => w.point.name === 'pump')!;
    expect(fresh.value).toBe(0);
    core.writeDone('pump', undefined, 11, old.ticket); // late success of the 0.5 write
    expect(core.health(11).outputs).toMatchObject({ pump: { written: null } });
    core.writeDone('pump', undefined, 12, fresh.ticket);
    expect(core.health(12).outputs).toMatchObject({ pump: { written: 0 } });
  });
});
