import type { ModbusAddress } from '../../points.js';

/** Register words → number, by data type (float32 from two words in the given order). */
export function decodeRegisters(words: readonly number[], a: Pick<ModbusAddress, 'data_type' | 'word_order'>): number {
  if (a.data_type === 'uint16') return words[0] & 0xffff;
  if (a.data_type === 'int16') {
    const w = words[0] & 0xffff;
    return w > 0x7fff ? w - 0x10000 : w;
  }
  const [hi, lo] = a.word_order === 'big' ? [words[0], words[1]] : [words[1], words[0]];
  const b = Buffer.alloc(4);
  b.writeUInt16BE(hi & 0xffff, 0);
  b.writeUInt16BE(lo & 0xffff, 2);
  return b.readFloatBE(0);
}

/** Words a data type occupies. */
export function registerCount(a: Pick<ModbusAddress, 'data_type'>): number {
  return a.data_type === 'float32' ? 2 : 1;
}

/**
 * Number → register words. Integer types round to the nearest count (the device's
 * resolution) but never wrap: a value outside the type's range is an error.
 */
export function encodeRegisters(value: number, a: Pick<ModbusAddress, 'data_type' | 'word_order'>): number[] | string {
  if (a.data_type === 'float32') {
    const b = Buffer.alloc(4);
    b.writeFloatBE(value, 0);
    const words = [b.readUInt16BE(0), b.readUInt16BE(2)];
    return a.word_order === 'big' ? words : [words[1], words[0]];
  }
  const n = Math.round(value);
  const [lo, hi] = a.data_type === 'int16' ? [-32768, 32767] : [0, 65535];
  if (!Number.isFinite(n) || n < lo || n > hi) return `raw value ${value} does not fit ${a.data_type} (${lo}..${hi}); check the point's scale and offset`;
  return [n & 0xffff];
}
