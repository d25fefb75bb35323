import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRegisters, encodeRegisters } from '../../../nodes/gateway/adapters/modbus-tcp/modbus-codec.js';

describe('modbus register codec', () => {
  it('reads int16 as signed, uint16 as unsigned, float32 from two words in either order', () => {
    expect(decodeRegisters([0xfff6], { data_type: 'int16', word_order: 'big' })).toBe(-10);
    expect(decodeRegisters([0xfff6], { data_type: 'uint16', word_order: 'big' })).toBe(65526);
    expect(decodeRegisters([0x4148, 0x0000], { data_type: 'float32', word_order: 'big' })).toBe(12.5);
    expect(decodeRegisters([0x0000, 0x4148], { data_type: 'float32', word_order: 'little' })).toBe(12.5);
  });

  it('property: integers in range and float32 values round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: -32768, max: 32767 }), (n) => {
        const a = { data_type: 'int16' as const, word_order: 'big' as const };
        return decodeRegisters(encodeRegisters(n, a) as number[], a) === n;
      }),
    );
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('big' as const, 'little' as const), (f, order) => {
        const a = { data_type: 'float32' as const, word_order: order };
        return Object.is(decodeRegisters(encodeRegisters(f, a) as number[], a), f);
      }),
    );
  });

  it('refuses a value that does not fit the register instead of wrapping it', () => {
    expect(encodeRegisters(70000, { data_type: 'uint16', word_order: 'big' })).toBe("raw value 70000 does not fit uint16 (0..65535); check the point's scale and offset");
    expect(encodeRegisters(-1, { data_type: 'uint16', word_order: 'big' })).toMatch(/does not fit/);
    expect(encodeRegisters(-1, { data_type: 'int16', word_order: 'big' })).toEqual([0xffff]);
  });
});
