import { describe, expect, it } from 'vitest';
import { birthPoints, gatewayParamsSchema, parseGatewayParams } from '../../../nodes/gateway/points.js';
import { pointSchema } from '../../../src/contracts/device.js';
import { tankParams } from './fixtures.js';

describe('gateway params', () => {
  it('fills defaults and keeps adapter addresses out of the birth', () => {
    const p = parseGatewayParams({
      adapter: { type: 'modbus-tcp', host: '10.0.0.5' },
      points: [{ name: 'temp', direction: 'in', type: 'number', modbus: { table: 'input', address: 3, data_type: 'int16' } }],
    });
    expect(p.adapter).toEqual({ type: 'modbus-tcp', host: '10.0.0.5', port: 502, unit_id: 1, timeout_ms: 500 });
    expect(p.watchdog_ms).toBe(1000);
    const birth = birthPoints(p);
    expect(birth[0]).not.toHaveProperty('modbus');
    expect(pointSchema.safeParse(birth[0]).success).toBe(true);
  });

  it('names the path and says what to do for every problem', () => {
    expect(() =>
      parseGatewayParams({
        adapter: { type: 'modbus-tcp', host: 'plc' },
        points: [
          { name: 'pump', direction: 'out', type: 'number', min: 5, max: 1 },
          { name: 'pump', direction: 'in', type: 'bool', modbus: { table: 'holding', address: 0 } },
        ],
      }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: gateway params are not valid:
        params.points[0].min: min (5) is above max (1); swap them
        params.points[0].safe: output "pump" needs a safe value (taken on start, watchdog expiry and broker loss), e.g. safe: 0
        params.points[0].modbus: point "pump" needs a Modbus address, e.g. modbus: { table: holding, address: 0 }
        params.points[1].name: point name "pump" is already used by points[0]; names must be unique
        params.points[1].type: "pump" lives in a register; make it type number (or use a coil for bool)]
    `);
  });

  it('rejects an unknown adapter type and a safe value outside the range', () => {
    const r = gatewayParamsSchema.safeParse({ adapter: { type: 'gpio' }, points: [] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toContain('adapter.type must be');
    expect(() => tankParams({ points: [{ name: 'v', direction: 'out', type: 'number', min: 0, max: 10, safe: 11 }] })).toThrow(
      'params.points[0].safe: safe value of "v" is not valid: "v" = 11 is above its maximum 10',
    );
  });
});
