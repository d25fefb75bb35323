import { describe, expect, expectTypeOf, it } from 'vitest';
import { commandSchema, type Command } from '../../../src/contracts/command.js';
import { statusSchema } from '../../../src/contracts/status.js';
import { decodePayload } from '../../../src/wire/codec.js';
import { parseTopic, topic, topicMatches } from '../../../src/wire/topics.js';

const enc = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

describe('topics', () => {
  it('builds and parses every channel', () => {
    expect(topic('t', 'pilot', 'cmd')).toBe('strata/t/pilot/cmd');
    expect(topic('t', 'pilot', 'peer', 'nav')).toBe('strata/t/pilot/peer/nav');
    expect(parseTopic('strata/t/pilot/status')).toEqual({ tree: 't', node: 'pilot', channel: 'status' });
    expect(parseTopic('strata/t/pilot/peer/nav')).toEqual({ tree: 't', node: 'pilot', channel: 'peer', from: 'nav' });
    expect(parseTopic('strata/t/pilot/bogus')).toBeUndefined();
    expect(parseTopic('other/t/pilot/cmd')).toBeUndefined();
  });

  it('matches MQTT wildcards', () => {
    expect(topicMatches('strata/#', 'strata/t/a/cmd')).toBe(true);
    expect(topicMatches('strata/t/+/cmd', 'strata/t/a/cmd')).toBe(true);
    expect(topicMatches('strata/t/+/cmd', 'strata/t/a/status')).toBe(false);
    expect(topicMatches('strata/t/a/peer/+', 'strata/t/a/peer/b')).toBe(true);
    expect(topicMatches('strata/t/a/peer/+', 'strata/t/a/peer')).toBe(false);
  });
});

describe('decodePayload', () => {
  const good = { v: 1, id: 'c1', serial: 1, verb: 'go' };

  it('accepts a valid command and applies defaults', () => {
    const d = decodePayload(commandSchema, enc(good));
    expect(d.ok && d.value).toMatchObject({ from: 'operator', session: 0, args: {} });
  });

  it('names the field and says what to do', () => {
    const d = decodePayload(commandSchema, enc({ ...good, serial: 'one' }));
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.issues[0].path).toBe('serial');
      expect(d.reason).toMatch(/^serial: /);
    }
    const noV = decodePayload(commandSchema, enc({ id: 'c', serial: 1, verb: 'x' }));
    expect(!noV.ok && noV.reason).toMatchInlineSnapshot(`"v: "v" must be 1 (the strata protocol version); add "v":1 to the payload"`);
  });

  it('rejects non-JSON, unknown fields and oversized payloads without throwing', () => {
    const notJson = decodePayload(commandSchema, Buffer.from('{oops'));
    expect(!notJson.ok && notJson.reason).toMatch(/not JSON/);
    const extra = decodePayload(commandSchema, enc({ ...good, colour: 'red' }));
    expect(!extra.ok && extra.reason).toMatch(/colour/);
    const big = decodePayload(commandSchema, Buffer.alloc(300 * 1024, 32));
    expect(!big.ok && big.reason).toMatch(/over the 262144-byte limit/);
  });

  it('infers payload types from the schemas', () => {
    expectTypeOf<Command['serial']>().toEqualTypeOf<number>();
    expectTypeOf<Command['args']>().toEqualTypeOf<Record<string, unknown>>();
    const s = statusSchema.parse({ v: 1, node: 'n', id: 'c', serial: 1, state: 'done', t: 0 });
    expectTypeOf(s.state).toEqualTypeOf<'received' | 'executing' | 'done' | 'failed' | 'aborted' | 'rejected'>();
    expect(s.progress).toBe(0);
  });
});
