import { parseGatewayParams, type GatewayParams, type GatewayParamsInput } from '../../../nodes/gateway/points.js';

/** A small tank gateway on the simulated device, with overrides. */
export function tankParams(over: Partial<GatewayParamsInput> = {}): GatewayParams {
  return parseGatewayParams({
    adapter: { type: 'simulated', model: 'tank' },
    watchdog_ms: 500,
    max_write_hz: 10,
    write_burst: 2,
    points: [
      { name: 'level', direction: 'in', type: 'number', units: 'm', rate_hz: 20, scale: 0.001 },
      { name: 'pump', direction: 'out', type: 'number', min: 0, max: 1, safe: 0 },
      { name: 'drain', direction: 'out', type: 'bool', safe: true },
      { name: 'mode', direction: 'out', type: 'enum', values: ['off', 'auto', 'manual'], safe: 'off' },
    ],
    ...over,
  });
}
