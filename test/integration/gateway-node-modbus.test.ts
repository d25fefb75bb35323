import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayParamsInput } from '../../nodes/gateway/points.js';
import { ModbusTcpTestServer } from '../support/modbus-tcp-server.js';
import { GatewayHarness } from './gateway-node-harness.js';

const HUNG = 20_000;

// Outputs are read back through input points on the same register and coil, so the
// test sees each write arrive in the gateway's own sensations.
const params = (port: number): GatewayParamsInput => ({
  adapter: { type: 'modbus-tcp', host: '127.0.0.1', port, timeout_ms: 200 },
  watchdog_ms: 0,
  reconnect_min_ms: 40,
  reconnect_max_ms: 400,
  points: [
    { name: 'temp', direction: 'in', type: 'number', units: 'degC', scale: 0.1, rate_hz: 50, modbus: { table: 'input', address: 0, data_type: 'int16' } },
    { name: 'speed', direction: 'out', type: 'number', min: -50, max: 50, safe: 0, scale: 0.01, modbus: { table: 'holding', address: 10, data_type: 'int16' } },
    { name: 'speed_fb', direction: 'in', type: 'number', scale: 0.01, rate_hz: 50, modbus: { table: 'holding', address: 10, data_type: 'int16' } },
    { name: 'lamp', direction: 'out', type: 'bool', safe: false, modbus: { table: 'coil', address: 5 } },
    { name: 'lamp_fb', direction: 'in', type: 'bool', rate_hz: 50, modbus: { table: 'coil', address: 5 } },
  ],
});

describe('gateway node against a Modbus TCP server on loopback and a real broker', () => {
  let server: ModbusTcpTestServer | undefined;
  let gw: GatewayHarness | undefined;

  const start = async (): Promise<{ server: ModbusTcpTestServer; gw: GatewayHarness }> => {
    server = await ModbusTcpTestServer.start();
    server.memory.input[0] = 0xff38; // -200 → -20.0 degC
    server.memory.holding[10] = 777;
    server.memory.coils[5] = true;
    gw = await GatewayHarness.start(params(server.port));
    // Outputs start at their safe values.
    await gw.sense((v) => v.speed_fb === 0 && v.lamp_fb === false, 'safe values read back at start');
    return { server, gw };
  };

  afterEach(async () => {
    await gw?.stop();
    await server?.stop();
    gw = undefined;
    server = undefined;
  });

  it('inputs arrive as sensations; a write reaches the registers; an out-of-range write is rejected and changes nothing', { timeout: HUNG }, async () => {
    const { server, gw } = await start();
    const s = await gw.sense((v) => v.temp === -20, 'temperature -20.0');
    expect(s.json.values._quality).toEqual({ temp: 'good', speed_fb: 'good', lamp_fb: 'good' });

    await gw.write('go', { speed: 12.34, lamp: true });
    await gw.sense((v) => v.speed_fb === 12.34 && v.lamp_fb === true, 'the write read back');
    expect(server.memory.holding[10]).toBe(1234);
    expect(server.memory.coils[5]).toBe(true);

    await gw.write('too-fast', { speed: 60 });
    const st = await gw.status('too-fast', (x) => x.state === 'rejected', 'the rejection');
    expect(st.json.reason).toBe('"speed" = 60 is above its maximum 50; the command is rejected, not clamped');
    await gw.waitOn('error', (e) => e.reason === st.json.reason, 'the error message');
    const from = gw.mark();
    await gw.sense(() => true, 'a later sensation', from);
    expect(server.memory.holding[10]).toBe(1234);
  });

  it('server outage: fault in health, inputs bad; after the reconnect inputs resume and outputs are safe until a fresh command', { timeout: HUNG }, async () => {
    const { server, gw } = await start();
    await gw.write('go', { speed: -5 });
    await gw.sense((v) => v.speed_fb === -5, 'the write read back');

    const from = gw.mark();
    await server.stop();
    await gw.sense((v) => v._quality.temp === 'bad', 'quality bad', from);
    const h = await gw.health((d) => d.device === 'disconnected' && d.faults.total >= 1, 'health with the device down', from);
    expect(h.json.detail.faults.last.message).toEqual(expect.any(String));

    server.memory.input[0] = 215;
    await server.start();
    await gw.sense((v) => v.temp === 21.5 && v._quality.temp === 'good' && v.speed_fb === 0, 'inputs resume, speed safe', from);
    expect(server.memory.holding[10]).toBe(0);
    await gw.write('go', { speed: -5 });
    await gw.sense((v) => v.speed_fb === -5, 'a fresh command moves it again');
  });

  it('broker outage: registers go safe; after the new birth the old command is not replayed', { timeout: HUNG }, async () => {
    const { server, gw } = await start();
    await gw.write('go', { speed: 30, lamp: true });
    await gw.sense((v) => v.speed_fb === 30 && v.lamp_fb === true, 'the write read back');

    await gw.brokerOutage(async () => undefined);
    await gw.waitOn('state', (s) => s.state === 'online', 'the birth after the reconnect');
    const h = await gw.health((d) => d.safe === 'broker-lost' && d.outputs.speed.written === 0 && d.outputs.lamp.written === false, 'heartbeat: outputs safe');
    expect(h.json.detail.commands.applied).toBe(1);
    const from = gw.mark();
    await gw.sense((v) => v.speed_fb === 0 && v.lamp_fb === false, 'safe values read back', from);
    expect([server.memory.holding[10], server.memory.coils[5]]).toEqual([0, false]);
  });
});
