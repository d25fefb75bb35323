import type { Point } from '../../../../src/contracts/device.js';
import type { RawValue } from '../../adapter.js';

/**
 * The strata serial line protocol (see nodes/gateway/README.md). Every line, both ways,
 * is `<body>*<crc>\n`, where crc is the CRC-8 (poly 0x07, init 0, as SMBus) of the body's
 * bytes as two upper-case hex digits. Bodies:
 *
 *   host → device   GET <name>            SET <name> <value>
 *   device → host   VAL <name> <value>    OK <name>            ERR <name> <code> <message...>
 *
 * Values: bool `1`/`0`, number in decimal (`-12.5`, `1e-3`), enum its name, number[]
 * comma-separated (`1,2,3`). Names and values contain no spaces.
 */

/** CRC-8/SMBUS of `text`'s UTF-8 bytes. Check value: crc8("123456789") = 0xF4. */
export function crc8(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte;
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** A framed line, newline included. */
export function encodeLine(body: string): string {
  return `${body}*${crc8(body).toString(16).toUpperCase().padStart(2, '0')}\n`;
}

export type DecodedLine = { ok: true; body: string } | { ok: false; fault: 'crc' | 'parse'; message: string };

/** Checks one received line (without its newline; a trailing \r is ignored). */
export function decodeLine(line: string): DecodedLine {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const star = text.lastIndexOf('*');
  if (star < 0 || !/^[0-9A-Fa-f]{2}$/.test(text.slice(star + 1))) return { ok: false, fault: 'parse', message: `line "${text.slice(0, 80)}" has no "*<crc>" ending` };
  const body = text.slice(0, star);
  const got = parseInt(text.slice(star + 1), 16);
  const want = crc8(body);
  if (got !== want) return { ok: false, fault: 'crc', message: `CRC mismatch on "${body.slice(0, 80)}": got ${text.slice(star + 1)}, expected ${want.toString(16).toUpperCase().padStart(2, '0')} (check baud rate and wiring)` };
  return { ok: true, body };
}

export type LineReply =
  | { kind: 'VAL'; name: string; value: string }
  | { kind: 'OK'; name: string }
  | { kind: 'ERR'; name: string; code: string; message: string };

export type LineRequest = { kind: 'GET'; name: string } | { kind: 'SET'; name: string; value: string };

/** Parses a device reply body, or returns undefined if it is none of VAL / OK / ERR. */
export function parseReply(body: string): LineReply | undefined {
  const parts = body.split(' ');
  if (parts[0] === 'VAL' && parts.length === 3 && parts[1]) return { kind: 'VAL', name: parts[1], value: parts[2] };
  if (parts[0] === 'OK' && parts.length === 2 && parts[1]) return { kind: 'OK', name: parts[1] };
  if (parts[0] === 'ERR' && parts.length >= 3 && parts[1]) return { kind: 'ERR', name: parts[1], code: parts[2], message: parts.slice(3).join(' ') };
  return undefined;
}

/** Parses a host request body (for device firmware and the test emulator). */
export function parseRequest(body: string): LineRequest | undefined {
  const parts = body.split(' ');
  if (parts[0] === 'GET' && parts.length === 2 && parts[1]) return { kind: 'GET', name: parts[1] };
  if (parts[0] === 'SET' && parts.length === 3 && parts[1]) return { kind: 'SET', name: parts[1], value: parts[2] };
  return undefined;
}

/** A raw value as text on the wire. */
export function formatValue(raw: RawValue): string {
  if (typeof raw === 'boolean') return raw ? '1' : '0';
  if (Array.isArray(raw)) return raw.map((v) => String(v)).join(',');
  return String(raw);
}

/** Wire text → raw value of the point's type, or undefined if it does not parse. */
export function parseValue(type: Point['type'], text: string): RawValue | undefined {
  const num = (s: string): number | undefined => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);
  switch (type) {
    case 'bool':
      return text === '1' || text === 'true' ? true : text === '0' || text === 'false' ? false : undefined;
    case 'number':
      return num(text);
    case 'enum':
      return text.length > 0 ? text : undefined;
    case 'number[]': {
      if (text === '') return [];
      const xs = text.split(',').map(num);
      return xs.every((x) => x !== undefined) ? (xs as number[]) : undefined;
    }
  }
}
