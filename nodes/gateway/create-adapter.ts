import type { Clock } from '../../src/time/clock.js';
import type { DeviceAdapter } from './adapter.js';
import { ModbusTcpAdapter } from './adapters/modbus-tcp/modbus-tcp-adapter.js';
import { SerialLineAdapter } from './adapters/serial-line/serial-line-adapter.js';
import { SimulatedAdapter } from './adapters/simulated/simulated-adapter.js';
import type { GatewayParams } from './points.js';

/** Makes the adapter a gateway's params ask for, with its timers on `clock`. */
export function createAdapter(params: GatewayParams, clock: Pick<Clock, 'setTimer'>): DeviceAdapter {
  const backoff = { reconnectMinMs: params.reconnect_min_ms, reconnectMaxMs: params.reconnect_max_ms, reopenAfterTimeouts: params.reopen_after_timeouts, clock };
  const a = params.adapter;
  switch (a.type) {
    case 'serial-line':
      return new SerialLineAdapter({ path: a.path, baudRate: a.baud_rate, timeoutMs: a.timeout_ms, ...backoff });
    case 'modbus-tcp':
      return new ModbusTcpAdapter({ host: a.host, port: a.port, unitId: a.unit_id, timeoutMs: a.timeout_ms, ...backoff });
    case 'simulated':
      return new SimulatedAdapter({ points: params.points, model: a.model, stepMs: a.step_ms, bind: a.bind, ...backoff });
  }
}
