import { describe, expect, it } from 'vitest';
import { formatTailLine, summarize } from '../../../src/tools/inspect/tail-format.js';
import { formatNodeTable, nodesFromMessages } from '../../../src/tools/inspect/tree-table.js';

const state = (tree: string, node: string, extra: Record<string, unknown>) => ({ topic: `strata/${tree}/${node}/state`, payload: JSON.stringify({ v: 1, node, session: 7, ...extra }) });
const status = (tree: string, node: string, extra: Record<string, unknown>) => ({ topic: `strata/${tree}/${node}/status`, payload: JSON.stringify({ v: 1, node, t: 0, ...extra }) });

describe('the inspect table', () => {
  const messages = [
    state('demo', 'arm', { state: 'online', kind: 'worker', level: 0, parent: 'cell' }),
    state('demo', 'cell', { state: 'online', kind: 'sequencer', level: 1, parent: null, children: ['arm', 'conveyor'] }),
    state('demo', 'conveyor', { state: 'online', kind: 'worker', level: 0, parent: 'cell' }),
    status('demo', 'cell', { id: 'batch-1', serial: 1, state: 'executing', progress: 0.25, reason: 'step 1' }),
    status('demo', 'arm', { id: 'old', serial: 1, state: 'done', progress: 1 }),
    { topic: 'strata/demo/arm/status', payload: '' },
    state('demo', 'conveyor', { state: 'offline', reason: 'connection lost' }),
    state('other', 'solo', { state: 'online', kind: 'thermostat', level: 0, parent: null }),
    { topic: 'strata/demo/ghost/status', payload: JSON.stringify({ v: 1, id: 'x', serial: 1, state: 'done' }) },
    { topic: 'strata/demo/arm/sense', payload: '{}' },
    { topic: 'strata/demo/bad/state', payload: 'not json' },
  ];

  it('orders nodes as trees, keeps the latest state and status, and honours cleared retained messages', () => {
    const rows = nodesFromMessages(messages);
    expect(rows.map((r) => `${r.tree}/${r.id}`)).toEqual(['demo/cell', 'demo/arm', 'demo/conveyor', 'other/solo']);
    expect(rows[0]).toMatchObject({ kind: 'sequencer', level: 1, parent: null, online: true, session: 7, command: { id: 'batch-1', state: 'executing', progress: 0.25 } });
    expect(rows[1].command).toBeUndefined();
    // A death carries no birth fields: kind and level come from the birth seen earlier, the parent from the parent's children.
    expect(rows[2]).toMatchObject({ online: false, reason: 'connection lost', kind: 'worker', level: 0, parent: 'cell' });
    const deadOnly = nodesFromMessages([messages[1], state('demo', 'arm', { state: 'offline' })]);
    expect(deadOnly.map((r) => [r.id, r.parent, r.kind])).toEqual([['cell', null, 'sequencer'], ['arm', 'cell', undefined]]);
  });

  it('formats a table per tree, indented by depth', () => {
    const text = formatNodeTable(nodesFromMessages(messages));
    expect(text).toContain('tree demo: 3 nodes, 2 online');
    expect(text).toContain('tree other: 1 nodes, 1 online');
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^NODE\s+KIND\s+LEVEL\s+PARENT\s+STATE\s+SESSION\s+COMMAND$/);
    expect(lines[2]).toMatch(/^cell\s+sequencer\s+1\s+-\s+online\s+7\s+batch-1 #1 executing 25% step 1$/);
    expect(lines[3]).toMatch(/^ {2}arm\s+worker\s+0\s+cell\s+online\s+7\s+-$/);
    expect(lines[4]).toMatch(/^ {2}conveyor .*offline \(connection lost\)/);
  });
});

describe('tail lines', () => {
  it('summarise each channel in one line with the arrival time and node time', () => {
    const at = Date.UTC(2026, 0, 1, 12, 30, 5, 250);
    expect(formatTailLine('strata/demo/arm/cmd', JSON.stringify({ v: 1, id: 'j1', serial: 2, verb: 'work', args: { seconds: 4 }, from: 'cell', t: 1500 }), at, false)).toBe(
      '12:30:05.250 t=1.500s cmd     work j1 #2 from cell {"seconds":4}',
    );
    expect(formatTailLine('strata/demo/arm/status', JSON.stringify({ v: 1, node: 'arm', id: 'j1', serial: 2, state: 'executing', progress: 0.5, reason: 'half', t: 2000 }), at, true)).toBe(
      '12:30:05.250 t=2.000s status  j1 #2 executing 50% "half" (retained)',
    );
    expect(formatTailLine('strata/demo/arm/peer/conveyor', JSON.stringify({ v: 1, from: 'conveyor', t: 1, kind: 'ready', body: null }), at, false)).toContain('peer/conveyor ready from conveyor null');
    expect(formatTailLine('strata/demo/arm/state', '', at, true)).toBe('12:30:05.250 state   (empty: retained message cleared) (retained)');
  });

  it('summarise health, state, error and sense, and show raw text for payloads that are not JSON', () => {
    expect(summarize('health', JSON.stringify({ cycles: 3, overruns: 1, exec_ms: { mean: 0.123 }, rejected: 0, command: { id: 'a', verb: 'work', state: 'executing' } }))).toBe(
      'cycles 3 overruns 1 exec 0.12ms rejected 0 · work a executing',
    );
    expect(summarize('state', JSON.stringify({ state: 'online', session: 1, kind: 'worker', level: 0, parent: 'cell', period_ms: 100 }))).toBe('online session 1 worker level 0 parent cell period 100ms');
    expect(summarize('state', JSON.stringify({ state: 'offline', session: 1, reason: 'connection lost' }))).toBe('offline session 1 (connection lost)');
    expect(summarize('error', JSON.stringify({ topic: 'strata/t/n/cmd', reason: 'serial: bad' }))).toBe('rejected strata/t/n/cmd: serial: bad');
    expect(summarize('sense', JSON.stringify({ seq: 4, values: { busy: true } }))).toBe('seq 4 {"busy":true}');
    expect(summarize('cmd', '{oops')).toBe('not JSON: {oops');
  });

  it('cut long lines to the width and leave wall-clock stamps out (they repeat the arrival time)', () => {
    const line = formatTailLine('strata/demo/arm/sense', JSON.stringify({ v: 1, node: 'arm', t: Date.UTC(2026, 0, 1), seq: 1, values: { blob: 'x'.repeat(500) } }), 0, false, 80);
    expect(line).toHaveLength(80);
    expect(line.endsWith('…')).toBe(true);
    expect(line).not.toContain(' t=');
  });
});
