import { mkdtempSync, readFileSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { describe, expect, it } from 'vitest';
import { createMcapRecorder, msToNs } from '../../../src/tools/recording/io/mcap-recorder.js';
import { checkRecordingFile, readRecording } from '../../../src/tools/recording/io/read-recording.js';
import { jsonSchemaNamed } from '../../../src/tools/schema-export/json-schemas.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'strata-mcap-'));

async function all(file: string, onTruncated?: (m: string) => void) {
  const out = [];
  for await (const m of readRecording(file, { onTruncated })) out.push({ topic: m.topic, payload: Buffer.from(m.payload).toString('utf8'), timeNs: m.timeNs, metadata: m.metadata });
  return out;
}

/** An in-memory readable for McapIndexedReader over a whole file. */
const readable = (bytes: Uint8Array) => ({ size: async () => BigInt(bytes.byteLength), read: async (offset: bigint, size: bigint) => bytes.subarray(Number(offset), Number(offset + size)) });

describe('the MCAP recorder', () => {
  it('writes messages that read back in order, with their times, a channel per topic and the JSON Schema of its contract', async () => {
    const file = join(tmp(), 'r.mcap');
    const rec = createMcapRecorder(file, { metadata: { tree: 'demo' } });
    const msgs = [
      ['strata/demo/cell/state', '{"v":1,"node":"cell","state":"online","session":1}', 0],
      ['strata/demo/cell/status', '{"v":1,"node":"cell","id":"a","serial":1,"state":"received","t":0}', 0],
      ['strata/demo/arm/sense', '{"v":1,"node":"arm","t":100,"seq":0,"values":{}}', 100],
      ['strata/demo/cell/status', '', 100],
      ['elsewhere/raw', 'plain text', 250.5],
    ] as const;
    for (const [t, p, ms] of msgs) rec.write(t, p, msToNs(ms));
    const counts = await rec.close();
    expect(counts.get('strata/demo/cell/status')).toBe(2);

    const back = await all(file);
    expect(back.map((m) => [m.topic, m.payload, m.timeNs])).toEqual(msgs.map(([t, p, ms]) => [t, p, msToNs(ms)]));
    expect(back[1].metadata.get('retain')).toBe('true');
    expect(back[2].metadata.get('qos')).toBe('0'); // sense is a stream: QoS 0

    const reader = await McapIndexedReader.Initialize({ readable: readable(readFileSync(file)) });
    const channels = [...reader.channelsById.values()];
    expect(channels.map((c) => c.topic).sort()).toEqual(['elsewhere/raw', 'strata/demo/arm/sense', 'strata/demo/cell/state', 'strata/demo/cell/status']);
    for (const c of channels) expect(c.messageEncoding).toBe('json');
    const statusChannel = channels.find((c) => c.topic === 'strata/demo/cell/status')!;
    const schema = reader.schemasById.get(statusChannel.schemaId)!;
    expect(schema).toMatchObject({ name: 'strata.status', encoding: 'jsonschema' });
    expect(JSON.parse(new TextDecoder().decode(schema.data))).toEqual(jsonSchemaNamed('status'));
    expect(channels.find((c) => c.topic === 'elsewhere/raw')!.schemaId).toBe(0);
    expect(reader.statistics?.messageCount).toBe(5n);
    const meta = [];
    for await (const m of reader.readMetadata()) meta.push(m);
    expect(meta[0].metadata.get('tree')).toBe('demo');
  });

  it('reads a file cut short up to the cut, and says so', async () => {
    const file = join(tmp(), 'cut.mcap');
    const rec = createMcapRecorder(file);
    for (let i = 0; i < 20_000; i++) rec.write('strata/t/n/sense', JSON.stringify({ v: 1, node: 'n', t: i, seq: i, values: { i } }), msToNs(i));
    await rec.close();
    truncateSync(file, Math.floor(statSync(file).size * 0.6));
    await expect(all(file)).rejects.toThrow(/ends early/);
    let warning = '';
    const got = await all(file, (m) => (warning = m));
    expect(warning).toMatch(/ends early/);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(20_000);
    got.forEach((m, i) => expect(JSON.parse(m.payload).seq).toBe(i));
  });

  it('fails with the file name when it cannot record or read', async () => {
    expect(() => createMcapRecorder('/nonexistent-dir/x.mcap')).toThrow(/cannot create the recording "\/nonexistent-dir\/x.mcap".*check the folder exists/);
    expect(() => checkRecordingFile('/nonexistent-dir/x.mcap')).toThrow(/no recording at .*strata record --broker/);
    expect(() => checkRecordingFile('configs/demo.yaml')).toThrow(/is not an MCAP file/);
  });
});
