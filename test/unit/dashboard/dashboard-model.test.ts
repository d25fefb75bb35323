import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDashboardModel, type DashboardModel, type TreeItem } from '../../../src/dashboard/dashboard-model.js';

const birth = (node: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ v: 1, node, state: 'online', session: 1, ...extra });
const ids = (items: TreeItem[]): unknown[] => items.map((i) => (i.children.length ? { [i.node.id]: ids(i.children) } : i.node.id));

function withTree(): DashboardModel {
  const m = createDashboardModel();
  m.ingest('strata/demo/cell/state', birth('cell', { kind: 'sequencer', level: 1, parent: null, children: ['conveyor', 'arm'], period_ms: 1000 }), 0);
  m.ingest('strata/demo/arm/state', birth('arm', { kind: 'worker', level: 0, parent: 'cell', period_ms: 100 }), 1);
  return m;
}

describe('dashboard model', () => {
  it('builds the tree from births, showing children named by a parent before their own birth', () => {
    const m = withTree();
    const [tree] = m.snapshot(10).trees;
    expect(tree.id).toBe('demo');
    expect(ids(tree.roots)).toEqual([{ cell: ['conveyor', 'arm'] }]);
    const conveyor = tree.roots[0].children[0].node;
    expect(conveyor).toMatchObject({ id: 'conveyor', state: 'unknown', parent: 'cell' });
    expect(tree.roots[0].node).toMatchObject({ kind: 'sequencer', level: 1, state: 'online', period_ms: 1000 });
    expect(tree).toMatchObject({ nodeCount: 3, online: 2 });
  });

  it('draws each node once when births disagree about parents, and a parent cycle as roots', () => {
    const m = createDashboardModel();
    m.ingest('strata/t/x/state', birth('x', { children: ['y', 'z'] }), 0);
    m.ingest('strata/t/y/state', birth('y', { parent: 'x', children: ['z'] }), 0);
    m.ingest('strata/u/p/state', birth('p', { parent: 'q' }), 0);
    m.ingest('strata/u/q/state', birth('q', { parent: 'p' }), 0);
    const [t, u] = m.snapshot(1).trees;
    expect(ids(t.roots)).toEqual([{ x: [{ y: ['z'] }] }]);
    expect(ids(u.roots)).toEqual([{ p: ['q'] }]);
  });

  it('marks a node offline with the reason from its last will, and online again on a new birth', () => {
    const m = withTree();
    m.ingest('strata/demo/arm/state', JSON.stringify({ v: 1, node: 'arm', state: 'offline', session: 1, reason: 'connection lost (last will)' }), 5);
    const arm = () => m.snapshot(6).trees[0].roots[0].children.find((c) => c.node.id === 'arm')!.node;
    expect(arm()).toMatchObject({ state: 'offline', reason: 'connection lost (last will)' });
    m.ingest('strata/demo/arm/state', birth('arm', { session: 2, parent: 'cell' }), 7);
    expect(arm()).toMatchObject({ state: 'online', reason: undefined, session: 2 });
  });

  it('joins the status of the current command with its verb from health or cmd, plan steps and cycle statistics', () => {
    const m = withTree();
    m.ingest('strata/demo/arm/cmd', JSON.stringify({ v: 1, id: 'job-7', serial: 3, verb: 'work' }), 2);
    m.ingest('strata/demo/arm/status', JSON.stringify({ v: 1, node: 'arm', id: 'job-7', serial: 3, state: 'executing', progress: 0.25, reason: '', t: 10 }), 3);
    m.ingest(
      'strata/demo/cell/status',
      JSON.stringify({ v: 1, node: 'cell', id: 'batch-1', serial: 1, state: 'executing', progress: 0.5, reason: 'step 2', t: 10, plan: { steps: [{ id: 's1', label: 'bring in', state: 'done', child: 'conveyor' }, { id: 's2', label: 'pick', state: 'active' }] } }),
      4,
    );
    m.ingest(
      'strata/demo/cell/health',
      JSON.stringify({ v: 1, node: 'cell', t: 10, session: 1, period_ms: 1000, cycles: 42, overruns: 2, exec_ms: { last: 0.1, mean: 0.2, max: 0.9 }, rejected: 1, command: { id: 'batch-1', serial: 1, verb: 'run', state: 'executing' } }),
      5,
    );
    const cell = m.snapshot(6).trees[0].roots[0];
    expect(cell.node.command).toEqual({ id: 'batch-1', serial: 1, verb: 'run', state: 'executing', progress: 0.5, reason: 'step 2' });
    expect(cell.node.plan).toEqual([{ id: 's1', label: 'bring in', state: 'done', child: 'conveyor' }, { id: 's2', label: 'pick', state: 'active' }]);
    expect(cell.node.health).toMatchObject({ cycles: 42, overruns: 2, rejected: 1, exec_ms: { mean: 0.2, max: 0.9 } });
    expect(cell.children.find((c) => c.node.id === 'arm')!.node.command).toMatchObject({ id: 'job-7', verb: 'work', progress: 0.25 });
  });

  it('counts messages per topic over a sliding window', () => {
    const m = createDashboardModel({ rateWindowMs: 2000 });
    for (let t = 0; t < 4000; t += 100) m.ingest('strata/demo/arm/health', '{}', t); // 10/s for 4 s
    m.ingest('strata/demo/cell/health', '{}', 3500);
    const at4 = m.snapshot(3950); // window (1950, 3950]: 20 messages
    expect(at4.rates.map((r) => r.topic)).toEqual(['strata/demo/arm/health', 'strata/demo/cell/health']);
    expect(at4.rates[0].perSecond).toBeCloseTo(10, 5);
    expect(at4.rates[0].total).toBe(40);
    expect(at4.rates[1].perSecond).toBeCloseTo(0.5, 5);
    // Silence: the window empties, the totals stay.
    const later = m.snapshot(10_000);
    expect(later.totalPerSecond).toBe(0);
    expect(later.messages).toBe(41);
  });

  it('draws a map from pose, path, obstacles and bounds in sense values or status detail, with the driven trail', () => {
    const m = createDashboardModel();
    m.ingest('strata/r/rover/sense', JSON.stringify({ v: 1, node: 'rover', t: 0, seq: 0, values: { x: 1, y: 2, theta: 0.5, battery: 0.9 } }), 0);
    m.ingest('strata/r/rover/sense', JSON.stringify({ v: 1, node: 'rover', t: 1, seq: 1, values: { pose: { x: 2, y: 2, theta: 0 }, obstacles: [[5, 5]] } }), 1);
    m.ingest('strata/r/navigator/status', JSON.stringify({ v: 1, node: 'navigator', id: 'go', serial: 1, state: 'executing', progress: 0, reason: '', t: 1, detail: { path: [[2, 2], { x: 4, y: 3 }, [6, 6]], obstacles: [{ x: 7, y: 1, r: 0.5 }, 'junk'] } }), 2);
    const map = m.snapshot(3).trees[0].map!;
    expect(map.pose).toEqual({ x: 2, y: 2, theta: 0 });
    expect(map.trail).toEqual([[1, 2], [2, 2]]);
    expect(map.path).toEqual([[2, 2], [4, 3], [6, 6]]);
    expect(map.obstacles).toEqual([{ x: 5, y: 5 }, { x: 7, y: 1, r: 0.5 }]);
    expect(map.bounds).toEqual({ xmin: 0, ymin: 0, xmax: 8, ymax: 7 });
    m.ingest('strata/r/rover/sense', JSON.stringify({ v: 1, node: 'rover', t: 2, seq: 2, values: { bounds: { width: 20, height: 10 } } }), 4);
    expect(m.snapshot(5).trees[0].map!.bounds).toEqual({ xmin: 0, ymin: 0, xmax: 20, ymax: 10 });
  });

  it('gives a tree without pose or map keys no map (a status detail with bare x/y is not a pose)', () => {
    const m = withTree();
    m.ingest('strata/demo/arm/sense', JSON.stringify({ v: 1, node: 'arm', t: 0, seq: 0, values: { busy: true } }), 1);
    m.ingest('strata/demo/arm/status', JSON.stringify({ v: 1, node: 'arm', id: 'a', serial: 1, state: 'executing', progress: 0, reason: '', t: 1, detail: { x: 1, y: 2 } }), 2);
    expect(m.snapshot(3).trees[0].map).toBeUndefined();
  });

  it('counts rejected inputs per node and malformed payloads, and never throws on arbitrary input', () => {
    const m = withTree();
    m.ingest('strata/demo/arm/error', JSON.stringify({ v: 1, node: 'arm', t: 0, topic: 'strata/demo/arm/cmd', reason: 'not JSON' }), 1);
    m.ingest('strata/demo/arm/status', '{oops', 2);
    m.ingest('strata/demo/arm/status', '[1,2]', 3);
    m.ingest('strata/demo/arm/state', '', 4); // a cleared retained message
    const snap = m.snapshot(5);
    expect(snap.malformed).toBe(2);
    expect(snap.trees[0].roots[0].children.find((c) => c.node.id === 'arm')!.node).toMatchObject({ errors: 1, lastError: { topic: 'strata/demo/arm/cmd', reason: 'not JSON' }, state: 'online' });

    const channel = fc.constantFrom('state', 'status', 'health', 'sense', 'error', 'cmd', 'peer/x', 'other');
    const payload = fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ v: 1, node: 'n', state: 'online', values: v, plan: v, detail: v, children: v, command: v })));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('n', 'm', 'constructor', '__proto__'), channel, payload), { maxLength: 30 }), (msgs) => {
        const model = createDashboardModel();
        msgs.forEach(([tree, node, ch, p], i) => model.ingest(`strata/${tree}/${node}/${ch}`, p, i));
        const s = model.snapshot(msgs.length);
        const shown = s.trees.reduce((k, t) => k + t.nodeCount, 0);
        const count = (items: TreeItem[]): number => items.reduce((k, i) => k + 1 + count(i.children), 0);
        // Every node is drawn exactly once, whatever the births say about parents.
        expect(s.trees.reduce((k, t) => k + count(t.roots), 0)).toBe(shown);
        expect(s.messages).toBe(msgs.length);
      }),
    );
  });

  it('is self-contained, so the page can ship its source to the browser', () => {
    const source = createDashboardModel.toString();
    const shipped = new Function('__name', `return (${source});`)((f: unknown) => f) as typeof createDashboardModel;
    const m = shipped();
    m.ingest('strata/demo/cell/state', birth('cell'), 0);
    expect(m.snapshot(1).trees[0].roots[0].node).toMatchObject({ id: 'cell', state: 'online' });
  });
});
