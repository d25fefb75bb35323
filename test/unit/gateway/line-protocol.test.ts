import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc8, decodeLine, encodeLine, formatValue, parseReply, parseRequest, parseValue } from '../../../nodes/gateway/adapters/serial-line/line-protocol.js';

describe('serial line protocol', () => {
  it('uses CRC-8/SMBUS (check value 0xF4) and frames lines as body*CRC', () => {
    expect(crc8('123456789')).toBe(0xf4);
    // The examples in nodes/gateway/README.md.
    expect(['GET level', 'VAL level 1234', 'SET pump 1', 'OK pump'].map(encodeLine)).toEqual(['GET level*A5\n', 'VAL level 1234*54\n', 'SET pump 1*BF\n', 'OK pump*44\n']);
  });

  it('property: every framed line decodes to its body; any single changed byte is caught', () => {
    const body = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[\n*]/.test(s) && /^[\x20-\x7e]+$/.test(s));
    fc.assert(
      fc.property(body, fc.nat(), fc.integer({ min: 1, max: 255 }), (b, at, flip) => {
        const line = encodeLine(b).slice(0, -1);
        expect(decodeLine(line)).toEqual({ ok: true, body: b });
        const i = at % b.length;
        const changed = String.fromCharCode((b.charCodeAt(i) ^ flip) & 0x7f);
        if (changed === b[i] || changed === '*' || changed === '\n' || changed === '\r') return;
        const bad = decodeLine(b.slice(0, i) + changed + line.slice(i + 1));
        expect(bad.ok).toBe(false);
      }),
    );
  });

  it('reports a missing CRC as a parse fault and a wrong one as a CRC fault', () => {
    expect(decodeLine('VAL level 3')).toMatchObject({ ok: false, fault: 'parse' });
    expect(decodeLine('VAL level 3*00')).toMatchObject({ ok: false, fault: 'crc' });
    expect(decodeLine(encodeLine('OK pump').replace('\n', '\r'))).toEqual({ ok: true, body: 'OK pump' });
  });

  it('parses requests, replies and values of every point type', () => {
    expect(parseRequest('SET pump 1')).toEqual({ kind: 'SET', name: 'pump', value: '1' });
    expect(parseRequest('GET')).toBeUndefined();
    expect(parseReply('ERR pump E_RANGE value too high')).toEqual({ kind: 'ERR', name: 'pump', code: 'E_RANGE', message: 'value too high' });
    expect(parseReply('VAL level')).toBeUndefined();
    expect(parseValue('bool', formatValue(true))).toBe(true);
    expect(parseValue('bool', 'maybe')).toBeUndefined();
    expect(parseValue('number', '-1.5e-3')).toBe(-0.0015);
    expect(parseValue('number', 'NaN')).toBeUndefined();
    expect(parseValue('enum', 'auto')).toBe('auto');
    expect(parseValue('number[]', formatValue([1, 2.5, -3]))).toEqual([1, 2.5, -3]);
    expect(parseValue('number[]', '1,x')).toBeUndefined();
  });
});
