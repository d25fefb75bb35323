import { readFileSync } from 'node:fs';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { allJsonSchemas, asyncApiDocument, channelContracts, jsonSchemaNamed, schemaEntries, writeSchemas } from '../../../src/tools/schema-export/index.js';
import { treeFrom } from '../../support/trees.js';
import { validate } from './mini-json-schema.js';

const demoYaml = readFileSync('configs/demo.yaml', 'utf8');

/** Real payloads, as the runtime publishes them, one or more per schema. */
const good: Record<string, unknown[]> = {
  command: [
    { v: 1, id: 'batch-1', serial: 1, verb: 'run' },
    { v: 1, id: 'g', serial: 3, verb: 'goto', args: { x: 1, y: [1, 2] }, from: 'cell', session: 1, t: 1200 },
  ],
  status: [
    { v: 1, node: 'cell', id: 'batch-1', serial: 1, state: 'executing', progress: 0.5, reason: '', t: 1000, plan: { steps: [{ id: 's1', label: 'bring part in', state: 'active', child: 'conveyor' }] } },
  ],
  sense: [{ v: 1, node: 'arm', t: 100, seq: 0, values: { busy: true, pose: { x: 1.5, y: null }, list: [1, 'a', { z: [] }] } }],
  health: [{ v: 1, node: 'arm', t: 1000, session: 1, period_ms: 100, cycles: 10, overruns: 0, exec_ms: { last: 0.1, mean: 0.1, max: 0.2 }, rejected: 0, command: null }],
  state: [
    { v: 1, node: 'arm', state: 'online', session: 1, level: 0, parent: 'cell', children: [], period_ms: 100, verbs: ['work'], points: [{ name: 'speed', direction: 'out', type: 'number', min: 0, max: 1 }] },
    { v: 1, node: 'arm', state: 'offline', session: 1, reason: 'connection lost' },
  ],
  error: [{ v: 1, node: 'arm', t: 3, topic: 'strata/demo/arm/cmd', reason: 'serial: must be 0 or more', issues: [{ path: 'serial', message: 'must be 0 or more' }] }],
  peer: [{ v: 1, from: 'left', t: 5, kind: 'hello', body: { n: 1 } }],
  'device-point': [{ name: 'bumper', direction: 'in', type: 'bool' }],
  'write-args': [{ values: { speed: 0.5, lamp: true, mode: 'auto' } }],
};

/** Payloads a node rejects, with the field that makes them wrong. */
const bad: Record<string, unknown[]> = {
  command: [{ v: 2, id: 'a', serial: 1, verb: 'run' }, { v: 1, id: 'a', serial: -1, verb: 'run' }, { v: 1, id: 'a', serial: 1, verb: 'run', extra: 1 }, { v: 1, serial: 1, verb: 'run' }],
  status: [{ v: 1, node: 'cell', id: 'x', serial: 1, state: 'sleeping', t: 0 }, { v: 1, node: 'cell', id: 'x', serial: 1, state: 'done', progress: 2, t: 0 }],
  sense: [{ v: 1, node: 'a/b', t: 0, seq: 0, values: {} }],
  state: [{ v: 1, node: 'arm', state: 'maybe', session: 1 }],
  'write-args': [{ values: { speed: [1] } }],
};

describe('JSON Schemas generated from the zod contracts', () => {
  it('are draft 2020-12 objects for every message, the device point, write args and the config', () => {
    const all = allJsonSchemas();
    expect([...all.keys()]).toEqual(['command', 'status', 'sense', 'health', 'state', 'error', 'peer', 'device-point', 'write-args', 'tree-config']);
    for (const [name, s] of all) {
      expect(s.$schema, name).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(s.type, name).toBe('object');
      expect(s.title, name).toMatch(/^strata /);
    }
    expect(jsonSchemaNamed('command').required).toEqual(['v', 'id', 'serial', 'verb']);
    expect(() => jsonSchemaNamed('nope')).toThrow(/known: command, status/);
  });

  it('accept real payloads that the zod schemas accept', () => {
    for (const [name, samples] of Object.entries(good)) {
      const entry = schemaEntries.find((e) => e.name === name)!;
      for (const sample of samples) {
        expect(entry.schema.safeParse(sample).success, `${name} zod`).toBe(true);
        expect(validate(jsonSchemaNamed(name), sample), name).toEqual([]);
      }
    }
  });

  it('reject payloads that the zod schemas reject', () => {
    for (const [name, samples] of Object.entries(bad)) {
      const entry = schemaEntries.find((e) => e.name === name)!;
      for (const sample of samples) {
        expect(entry.schema.safeParse(sample).success, `${name} zod ${JSON.stringify(sample)}`).toBe(false);
        expect(validate(jsonSchemaNamed(name), sample).length, `${name} ${JSON.stringify(sample)}`).toBeGreaterThan(0);
      }
    }
  });

  it('agree with zod on arbitrary sensations (JSON values nest through $defs)', () => {
    const schema = jsonSchemaNamed('sense');
    const jsonValue = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(fc.record({ v: fc.constantFrom(1, 2), node: fc.constantFrom('arm', 'a b'), t: fc.double({ noNaN: true, noDefaultInfinity: true }), seq: fc.integer({ min: -2, max: 5 }), values: fc.dictionary(fc.string(), jsonValue) }), (msg) => {
        const zodOk = schemaEntries.find((e) => e.name === 'sense')!.schema.safeParse(msg).success;
        expect(validate(schema, msg).length === 0).toBe(zodOk);
      }),
      { numRuns: 200 },
    );
  });

  it('describe the config on its input side: durations are numbers or text, defaults optional', () => {
    const s = jsonSchemaNamed('tree-config');
    const node = (s.properties as any).nodes.items;
    expect(node.properties.period.type).toEqual(['number', 'string']);
    expect(s.required).toEqual(['tree', 'nodes']);
    const parsedDemo = parseYaml(demoYaml);
    expect(validate(s, parsedDemo)).toEqual([]);
    expect(validate(s, { tree: 'x', nodes: [{ id: 'a', kind: 'worker', period: true }] }).length).toBeGreaterThan(0);
  });

  it('are written to a folder, with the AsyncAPI document when given a tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-schemas-'));
    const files = writeSchemas(dir, await treeFrom(demoYaml));
    expect(files).toHaveLength(11);
    expect(readdirSync(dir).sort()).toContain('demo.asyncapi.json');
    expect(JSON.parse(readFileSync(join(dir, 'status.schema.json'), 'utf8'))).toEqual(jsonSchemaNamed('status'));
  });
});

describe('the AsyncAPI 3.0 document of a tree', () => {
  it('is valid for @asyncapi/parser and has a channel per node and channel with QoS/retain bindings', async () => {
    const tree = await treeFrom(demoYaml);
    const doc = asyncApiDocument(tree);
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    const addresses = document!.channels().all().map((c) => c.address());
    for (const node of ['cell', 'conveyor', 'arm']) {
      for (const ch of ['cmd', 'status', 'sense', 'health', 'state', 'error']) expect(addresses).toContain(`strata/demo/${node}/${ch}`);
    }
    // conveyor and arm are siblings; the root has none.
    expect(addresses).toContain('strata/demo/arm/peer/{from}');
    expect(addresses).not.toContain('strata/demo/cell/peer/{from}');
    for (const op of document!.operations().all()) {
      const address = op.channels().all()[0].address()!;
      const channel = address.split('/')[3] as keyof typeof channelContracts;
      const mqtt = op.bindings().get('mqtt')!.value();
      expect(mqtt, address).toMatchObject({ qos: channelContracts[channel].qos, retain: channelContracts[channel].retain });
    }
    const status = document!.channels().all().find((c) => c.address() === 'strata/demo/cell/status')!;
    const payload = status.messages().all()[0].payload()!;
    expect(payload.required()).toEqual(expect.arrayContaining(['v', 'node', 'id', 'serial', 'state', 't']));
  });

  it('is rejected by the parser when a message reference is broken (the check has teeth)', async () => {
    const doc = asyncApiDocument(await treeFrom(demoYaml)) as any;
    doc.channels['cell.cmd'].messages.command.$ref = '#/components/messages/nope';
    const { diagnostics } = await new Parser().parse(JSON.stringify(doc));
    expect(diagnostics.filter((d) => d.severity === 0).length).toBeGreaterThan(0);
  });
});
