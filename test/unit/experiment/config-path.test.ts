import { describe, expect, it } from 'vitest';
import { DEFAULT_REFLEX_SUBSUMPTION } from '../../../nodes/reflex/reflex-params.js';
import { loadTree } from '../../../src/cli/cli-support.js';
import { setConfigPath, settingOverride } from '../../../src/experiment/config-path.js';
import { builtinKindDefaults } from '../../../src/experiment/io/run-one.js';

const raw = (): Record<string, unknown> => ({
  tree: 't',
  nodes: [
    { id: 'navigator', kind: 'navigator', period: '1s', replan: '5s', params: { scenario: 'a.yaml' } },
    { id: 'reflex', kind: 'reflex', parent: 'navigator', period: '10ms', params: { rays: { max_range_m: 5 } } },
    { id: 'cell', kind: 'sequencer', period: '1s', params: { steps: [{ child: 'a', verb: 'work', args: { seconds: 1 } }, { child: 'b', verb: 'work', args: { seconds: 2 } }] } },
  ],
});

type Nodes = Array<Record<string, any>>;

describe('config paths', () => {
  it('address nodes by id, not index', () => {
    const r = raw();
    setConfigPath(r, 'nodes.navigator.replan', '2s');
    expect((r.nodes as Nodes)[0].replan).toBe('2s');
  });

  it('address items of an id-less list by index', () => {
    const r = raw();
    setConfigPath(r, 'nodes.cell.params.steps.1.args.seconds', 9);
    expect((r.nodes as Nodes)[2].params.steps[1].args.seconds).toBe(9);
    expect((r.nodes as Nodes)[2].params.steps[0].args.seconds).toBe(1);
  });

  it("materialise a block the config leaves to the kind's default, then address its list items by id", () => {
    const r = raw();
    setConfigPath(r, 'nodes.reflex.params.subsumption.behaviors.avoid.params.avoid_m', 0.8, builtinKindDefaults);
    const sub = (r.nodes as Nodes)[1].params.subsumption;
    expect(sub.behaviors.map((b: { id: string }) => b.id)).toEqual(DEFAULT_REFLEX_SUBSUMPTION.behaviors.map((b) => b.id));
    expect(sub.behaviors.find((b: { id: string }) => b.id === 'avoid').params).toEqual({ avoid_m: 0.8 });
    expect(sub.wiring).toHaveLength(DEFAULT_REFLEX_SUBSUMPTION.wiring!.length);
    // The params the config did give are kept.
    expect((r.nodes as Nodes)[1].params.rays).toEqual({ max_range_m: 5 });
  });

  it('name the unknown id and the ids there are', () => {
    expect(() => setConfigPath(raw(), 'nodes.pilot.replan', '1s')).toThrow(/nodes\.pilot: no item with id "pilot".*ids: navigator, reflex, cell/);
    expect(() => setConfigPath(raw(), 'nodes.cell.params.steps.7.label', 'x')).toThrow(/address them by index 0\.\.1/);
    expect(() => setConfigPath(raw(), 'nodes..replan', '1s')).toThrow(/empty segment/);
    expect(() => setConfigPath(raw(), 'nodes.navigator.replan.x', 1)).toThrow(/is a string, not a block/);
    expect(() => setConfigPath(raw(), 'nodes.navigator', 1)).toThrow(/names a whole list item/);
    expect(() => setConfigPath(raw(), 'nodes.navigator.params', 1)).toThrow(/is a block, not a value/);
    expect(() => setConfigPath(raw(), 'nodes', 1)).toThrow(/is a list, not a value/);
  });

  it('the scenario override points every scenario-naming node at the file, and refuses a tree without one', () => {
    const r = raw();
    settingOverride([], '/abs/maze.yaml')(r);
    expect((r.nodes as Nodes)[0].params.scenario).toBe('/abs/maze.yaml');
    expect(() => settingOverride([], '/abs/maze.yaml')({ nodes: [{ id: 'a', params: {} }] })).toThrow(/sweep\.scenario/);
  });

  it("the swept avoid distance reaches the reflex's parsed params in a real config", async () => {
    const tree = await loadTree('configs/rover-mission.yaml', [
      settingOverride(
        [
          { path: 'nodes.navigator.replan', value: '2s' },
          { path: 'nodes.reflex.params.subsumption.behaviors.avoid.params.avoid_m', value: 0.45 },
        ],
        undefined,
        builtinKindDefaults,
      ),
    ]);
    const nav = tree.specs.find((s) => s.id === 'navigator')!;
    const reflex = tree.specs.find((s) => s.id === 'reflex')!;
    expect(nav.replanMs).toBe(2000);
    const avoid = (reflex.params as { subsumption: { behaviors: Array<{ id: string; params: Record<string, unknown> }> } }).subsumption.behaviors.find((b) => b.id === 'avoid');
    expect(avoid?.params.avoid_m).toBe(0.45);
  });
});
