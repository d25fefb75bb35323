import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceFault } from '../../nodes/gateway/adapter.js';
import { ModbusTcpAdapter } from '../../nodes/gateway/adapters/modbus-tcp/modbus-tcp-adapter.js';
import { GatewayDriver } from '../../nodes/gateway/gateway-driver.js';
import type { GatewaySense } from '../../nodes/gateway/gateway-core.js';
import { parseGatewayParams } from '../../nodes/gateway/points.js';
import { nextAdapterEvent, RecordingClock } from '../support/gateway-events.js';
import { ModbusTcpTestServer } from '../support/modbus-tcp-server.js';

const HUNG = 15_000;

const params = (port: number) =>
  parseGatewayParams({
    adapter: { type: 'modbus-tcp', host: '127.0.0.1', port },
    watchdog_ms: 0,
    reconnect_min_ms: 40,
    reconnect_max_ms: 400,
    points: [
      { name: 'temp', direction: 'in', type: 'number', units: 'degC', scale: 0.1, rate_hz: 50, modbus: { table: 'input', address: 0, data_type: 'int16' } },
      { name: 'flow', direction: 'in', type: 'number', modbus: { table: 'input', address: 2, data_type: 'float32' } },
      { name: 'estop', direction: 'in', type: 'bool', modbus: { table: 'discrete', address: 1 } },
      { name: 'speed', direction: 'out', type: 'number', min: -50, max: 50, safe: 0, scale: 0.01, modbus: { table: 'holding', address: 10, data_type: 'int16' } },
      { name: 'setpoint', direction: 'out', type: 'number', safe: 1.5, modbus: { table: 'holding', address: 20, data_type: 'float32', word_order: 'little' } },
      { name: 'lamp', direction: 'out', type: 'bool', safe: false, modbus: { table: 'coil', address: 5 } },
    ],
  });

describe('modbus TCP adapter against a loopback server', () => {
  let server: ModbusTcpTestServer | undefined;
  let adapter: ModbusTcpAdapter | undefined;
  afterEach(async () => {
    await adapter?.close();
    await server?.stop();
  });

  const setup = async () => {
    server = await ModbusTcpTestServer.start();
    server.memory.input[0] = 0xff38; // -200 → -20.0 degC after scaling
    server.memory.input[2] = 0x4148; // 12.5 as float32, high word first
    server.memory.input[3] = 0x0000;
    server.memory.discrete[1] = true;
    const clock = new RecordingClock();
    adapter = new ModbusTcpAdapter({ host: '127.0.0.1', port: server.port, reconnectMinMs: 40, reconnectMaxMs: 400, clock });
    await adapter.open();
    return { s: server, a: adapter, clock, p: params(server.port) };
  };

  it('reads registers, float32 and bits (raw, unscaled)', { timeout: HUNG }, async () => {
    const { a, p } = await setup();
    expect(await a.read(p.points.filter((x) => x.direction === 'in'))).toEqual({ temp: -200, flow: 12.5, estop: true });
  });

  it('writes int16, float32 (little word order) and coils', { timeout: HUNG }, async () => {
    const { s, a, p } = await setup();
    const pt = (n: string) => p.points.find((x) => x.name === n)!;
    expect(await a.write(pt('speed'), -1234)).toBeUndefined();
    expect(await a.write(pt('setpoint'), -3.25)).toBeUndefined();
    expect(await a.write(pt('lamp'), true)).toBeUndefined();
    expect(s.memory.holding[10]).toBe(0x10000 - 1234);
    expect([s.memory.holding[20], s.memory.holding[21]]).toEqual([0x0000, 0xc050]);
    expect(s.memory.coils[5]).toBe(true);
    expect(await a.write(pt('speed'), 40000)).toMatchObject({ fault: 'range', point: 'speed' });
    expect(await a.read([pt('speed'), pt('setpoint'), pt('lamp')])).toEqual({ speed: -1234, setpoint: -3.25, lamp: true });
  });

  it('server stopped: disconnect fault, retries with doubling backoff, reconnects when it is back', { timeout: HUNG }, async () => {
    const { s, a, p, clock } = await setup();
    const faults: DeviceFault[] = [];
    a.on('fault', (f) => faults.push(f));
    const lost = nextAdapterEvent(a, 'disconnect');
    await s.stop();
    await lost;
    expect(faults[0]).toMatchObject({ fault: 'disconnect' });
    expect(await a.read(p.points.slice(0, 1))).toMatchObject({ temp: { fault: 'disconnect', point: 'temp' } });
    await new Promise<void>((resolve) => a.on('fault', () => faults.filter((f) => f.fault === 'connect').length >= 2 && resolve()));
    expect(faults.find((f) => f.fault === 'connect')?.message).toMatch(/cannot connect to modbus-tcp 127\.0\.0\.1:\d+ unit 1: .*ECONNREFUSED/);
    const back = nextAdapterEvent(a, 'connect');
    await s.start();
    await back;
    expect(clock.delays.slice(0, 3)).toEqual([40, 80, 160]);
    expect(await a.read(p.points.slice(0, 1))).toEqual({ temp: -200 });
  });

  it('a server that stops answering (connection open, no replies): after 3 timeouts in a row the link is reopened', { timeout: HUNG }, async () => {
    // 400 ms, not less: an answer that comes after a stall of this process loses to the timer.
    server = await ModbusTcpTestServer.start();
    server.memory.input[0] = 7;
    adapter = new ModbusTcpAdapter({ host: '127.0.0.1', port: server.port, timeoutMs: 400, reconnectMinMs: 40, reconnectMaxMs: 400, clock: new RecordingClock() });
    await adapter.open();
    const a = adapter;
    const temp = params(server.port).points.slice(0, 1);
    const events: string[] = [];
    a.on('fault', (f) => events.push(`fault:${f.fault}`));
    a.on('disconnect', (why) => events.push(`disconnect:${why}`));
    a.on('connect', () => events.push('connect'));
    // Two timeouts, then an answer: the count starts again.
    server.silent = true;
    for (let i = 0; i < 2; i++) expect(await a.read(temp)).toMatchObject({ temp: { fault: 'timeout' } });
    server.silent = false;
    expect(await a.read(temp)).toEqual({ temp: 7 });
    server.silent = true;
    for (let i = 0; i < 2; i++) expect(await a.read(temp)).toMatchObject({ temp: { fault: 'timeout' } });
    expect(a.connected).toBe(true);
    // The third in a row: the connection counts as dead, is closed and opened again.
    const back = nextAdapterEvent(a, 'connect');
    expect(await a.read(temp)).toMatchObject({ temp: { fault: 'timeout' } });
    expect(a.connected).toBe(false);
    expect(events.filter((e) => !e.startsWith('fault:timeout'))).toEqual(['fault:disconnect', 'disconnect:no reply to 3 requests in a row; the link counts as lost and is reopened']);
    server.silent = false;
    await back;
    expect(await a.read(temp)).toEqual({ temp: 7 });
  });
});

describe('gateway driver over modbus TCP', () => {
  it('scales both ways, writes safe values at start and after the server comes back', { timeout: HUNG }, async () => {
    const server = await ModbusTcpTestServer.start();
    server.memory.input[0] = 215;
    const clock = new RecordingClock();
    const p = params(server.port);
    const adapter = new ModbusTcpAdapter({ host: '127.0.0.1', port: server.port, reconnectMinMs: 40, reconnectMaxMs: 400, clock });
    let onSense: (s: GatewaySense) => void = () => undefined;
    const senseWhere = (pred: (s: GatewaySense) => boolean) => new Promise<GatewaySense>((r) => (onSense = (s) => pred(s) && r(s)));
    let onWrite: (name: string) => void = () => undefined;
    const written = (name: string) => new Promise<void>((r) => (onWrite = (n) => n === name && r()));
    const driver = new GatewayDriver({ params: p, adapter, clock, onSense: (s) => onSense(s), onWrite: (w, f) => !f && onWrite(w.point.name) });
    try {
      const setpointSafe = written('setpoint');
      await driver.start();
      driver.birth();
      await setpointSafe;
      expect([server.memory.holding[20], server.memory.holding[21]]).toEqual([0x0000, 0x3fc0]); // 1.5
      expect((await senseWhere((s) => s.values.temp !== null)).values.temp).toBeCloseTo(21.5);
      const speed = written('speed');
      expect(driver.command({ id: 'go', serial: 1, receivedAt: clock.now(), values: { speed: -12.34 } }).outcome).toBe('applied');
      await speed;
      expect(server.memory.holding[10]).toBe(0x10000 - 1234);
      const lost = nextAdapterEvent(adapter, 'disconnect');
      await server.stop();
      await lost;
      server.memory.holding[10] = 999; // what the device holds when it comes back
      const safeAgain = written('speed');
      await server.start();
      await safeAgain;
      expect(server.memory.holding[10]).toBe(0);
    } finally {
      await driver.stop();
      await server.stop();
    }
  });
});
