import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayParamsInput } from '../../nodes/gateway/points.js';
import { SerialDeviceEmulator } from '../support/serial-device-emulator.js';
import { GatewayHarness } from './gateway-node-harness.js';

const HUNG = 20_000;

const params = (path: string, watchdogMs = 0): GatewayParamsInput => ({
  adapter: { type: 'serial-line', path, timeout_ms: 1500 },
  watchdog_ms: watchdogMs,
  reconnect_min_ms: 40,
  reconnect_max_ms: 400,
  points: [
    { name: 'level', direction: 'in', type: 'number', units: 'mm', scale: 0.1, rate_hz: 50, wire: 'LVL' },
    { name: 'pump', direction: 'out', type: 'number', min: 0, max: 100, safe: 0 },
    { name: 'valve', direction: 'out', type: 'bool', safe: false },
  ],
});

describe('gateway node over the serial emulator (pty) and a real broker', () => {
  let emu: SerialDeviceEmulator | undefined;
  let gw: GatewayHarness | undefined;

  const start = async (watchdogMs = 0): Promise<{ emu: SerialDeviceEmulator; gw: GatewayHarness }> => {
    emu = await SerialDeviceEmulator.start({ values: { LVL: '1234', pump: '55', valve: '1' } });
    const safeAtStart = Promise.all([emu.nextSet('pump', '0'), emu.nextSet('valve', '0')]);
    gw = await GatewayHarness.start(params(emu.hostPath, watchdogMs));
    await safeAtStart;
    return { emu, gw };
  };

  afterEach(async () => {
    await gw?.stop();
    await emu?.stop();
    gw = undefined;
    emu = undefined;
  });

  it('announces its points in the birth and publishes scaled inputs with their quality', { timeout: HUNG }, async () => {
    const { emu, gw } = await start();
    const birth = await gw.waitOn('state', (s) => s.state === 'online', 'the birth');
    expect(birth.json.verbs).toEqual(['write', 'rebirth', 'abort']);
    expect(birth.json.points.map((p: { name: string; direction: string }) => `${p.name}:${p.direction}`)).toEqual(['level:in', 'pump:out', 'valve:out']);
    expect(birth.json.points[0]).not.toHaveProperty('wire');
    const first = await gw.sense((v) => v.level === 123.4, 'level 123.4 mm');
    expect(first.json.values._quality).toEqual({ level: 'good' });
    emu.values.set('LVL', '2000');
    const changed = await gw.sense((v) => v.level === 200, 'level 200 mm');
    expect(changed.json.seq).toBeGreaterThan(first.json.seq);
  });

  it('a write reaches the device; an out-of-range write is rejected with a reason and the device keeps its value', { timeout: HUNG }, async () => {
    const { emu, gw } = await start();
    const pumped = emu.nextSet('pump', '40');
    const opened = emu.nextSet('valve', '1');
    await gw.write('fill', { pump: 40, valve: true });
    await Promise.all([pumped, opened]);
    await gw.status('fill', (s) => s.state === 'executing' && s.reason === 'holding pump=40, valve=true', 'the write held');

    const setsBefore = emu.sets.length;
    const serial = await gw.write('flood', { pump: 400 });
    const st = await gw.status('flood', (s) => s.state === 'rejected', 'the rejection');
    expect(st.json.serial).toBe(serial);
    expect(st.json.reason).toBe('"pump" = 400 is above its maximum 100; the command is rejected, not clamped');
    const err = await gw.waitOn('error', (e) => /400 is above its maximum/.test(e.reason), 'the error message');
    expect(err.json.topic).toBe(gw.topic('cmd'));
    // The device never saw a SET for it; the rejected command did not preempt the running one.
    await gw.health((d) => d.commands.applied === 1, 'a heartbeat after the rejection');
    expect(emu.sets.slice(setsBefore)).toEqual([]);
    expect(emu.values.get('pump')).toBe('40');
    expect(gw.watcher.on('/status').at(-1)?.json).toMatchObject({ id: 'flood', state: 'rejected' });
  });

  it('device disconnect: a fault in health, inputs turn bad, reconnect with backoff, inputs resume and outputs start safe', { timeout: HUNG }, async () => {
    const { emu, gw } = await start();
    await gw.sense((v) => v.level === 123.4, 'a first reading');
    const pumped = emu.nextSet('pump', '30');
    await gw.write('run', { pump: 30 });
    await pumped;

    const from = gw.mark();
    await emu.disconnect();
    await gw.sense((v) => v._quality.level === 'bad', 'quality bad', from);
    const h = await gw.health((d) => d.device === 'disconnected' && (d.faults.by_kind.connect ?? 0) >= 1, 'health with the device down and a failed reconnect', from);
    expect(h.json.detail.faults.by_kind.disconnect).toBeGreaterThanOrEqual(1);
    expect(h.json.detail.device_uri).toBe(`serial-line:${emu.hostPath}@115200`);

    emu.values.set('LVL', '777');
    const safeAgain = emu.nextSet('pump', '0');
    await emu.plugIn();
    await gw.sense((v) => v.level === 77.7 && v._quality.level === 'good', 'inputs resume after the reconnect', from);
    await safeAgain;
    // The held command is not written again after the reconnect: it waits for a fresh one.
    await gw.status('run', (s) => /safe values \(the device reconnected\)/.test(s.reason), 'status says the outputs are safe');
    const repumped = emu.nextSet('pump', '30');
    await gw.write('run', { pump: 30 });
    await repumped;
  });

  it('broker outage: outputs go safe at once; after the reconnect a new birth, and the old command is not replayed', { timeout: HUNG }, async () => {
    const { emu, gw } = await start();
    const pumped = emu.nextSet('pump', '60');
    await gw.write('hold', { pump: 60, valve: true });
    await pumped;
    await gw.status('hold', (s) => s.state === 'executing' && s.reason.startsWith('holding'), 'the write held');
    const firstBirth = (await gw.waitOn('state', (s) => s.state === 'online', 'the first birth')).json;

    await gw.brokerOutage(async () => {
      await Promise.all([emu.nextSet('pump', '0'), emu.nextSet('valve', '0')]);
    });
    const birth = await gw.waitOn('state', (s) => s.state === 'online' && s.t > firstBirth.t, 'a new birth after the reconnect');
    expect(birth.json.points).toHaveLength(3);
    // Heartbeats from after the reconnect: still safe, the old command counted neither applied again nor written.
    const h = await gw.health((d) => d.safe === 'broker-lost' && d.outputs.pump.written === 0, 'a heartbeat after the reconnect');
    expect(h.json.detail.commands.applied).toBe(1);
    await gw.sense(() => true, 'sensations after the reconnect');
    expect(emu.sets.filter((s) => s.name === 'pump').map((s) => s.value)).toEqual(['0', '60', '0']);
    expect(emu.values.get('pump')).toBe('0');

    // A fresh command (same task, newer serial, sent after the birth) moves the outputs again.
    const again = emu.nextSet('pump', '60');
    await gw.write('hold', { pump: 60, valve: true });
    await again;
  });

  it('watchdog: no command within watchdog_ms puts the outputs to their safe values', { timeout: HUNG }, async () => {
    const { emu, gw } = await start(300);
    const pumped = emu.nextSet('pump', '80');
    const sentAt = Date.now();
    await gw.write('brief', { pump: 80 });
    await pumped;
    await emu.nextSet('pump', '0');
    // The watchdog starts when the gateway takes the command, which is after it was sent.
    // (Measured from the send: a stalled pty can deliver the SET of 80 late, close to the
    // safe write, so the time between the two device writes says nothing.)
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(290);
    await gw.status('brief', (s) => s.reason.includes('no command within watchdog_ms (300 ms)'), 'status naming the watchdog');
    await gw.health((d) => d.safe === 'watchdog' && d.commands.watchdog === 1, 'health naming the watchdog');
  });

  it('an abort of the held write puts the outputs to safe at once; rebirth answers done', { timeout: HUNG }, async () => {
    const { emu, gw } = await start();
    const pumped = emu.nextSet('pump', '25');
    await gw.write('run', { pump: 25 });
    await pumped;
    const safe = emu.nextSet('pump', '0');
    await gw.watcher.publish(gw.topic('cmd'), JSON.stringify({ v: 1, id: 'stop-it', serial: 100, verb: 'abort', from: 'operator', session: 1 }));
    await gw.status('run', (s) => s.state === 'aborted', 'the write aborted');
    await safe;
    await gw.health((d) => d.safe === 'abort', 'health naming the abort');

    await gw.watcher.publish(gw.topic('cmd'), JSON.stringify({ v: 1, id: 'rb', serial: 101, verb: 'rebirth', from: 'operator', session: 1 }));
    await gw.status('rb', (s) => s.state === 'done', 'rebirth done');
  });
});
