import { describe, expect, it } from 'vitest';
import { ExperimentError, parseExperiment } from '../../../src/experiment/experiment-schema.js';
import { planExperiment, seedList } from '../../../src/experiment/experiment-plan.js';

const problems = (text: string): Array<{ path: string; message: string }> => {
  try {
    parseExperiment(text, 'x.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ExperimentError);
    return (err as ExperimentError).problems;
  }
  throw new Error('expected the experiment to be rejected');
};

describe('experiment file', () => {
  it('fills defaults: grid, 3 seeds, a 20 min wall limit', () => {
    const e = parseExperiment('config: ../demo.yaml\nsweep: { params: { nodes.cell.period: [1s, 2s] } }\n', 'x.yaml');
    expect(e.sweep.mode).toBe('grid');
    expect(e.seeds).toBe(3);
    expect(e.wall_limit).toBe('20min');
  });

  it('names the path of every problem', () => {
    const p = problems('config: ../demo.yaml\nseeds: 0\nsweep: { mode: grid, params: { nodes.a.b: { min: 1, max: 2 } } }\ntime_limit: soon\nextra: 1\n');
    const paths = p.map((x) => x.path);
    expect(paths).toContain('seeds');
    expect(paths).toContain('time_limit');
    expect(paths).toContain('');
    expect(p.find((x) => x.path === 'sweep.params.nodes.a.b')?.message).toMatch(/mode: random/);
  });

  it('a random sweep needs samples, and some dimension to sweep', () => {
    expect(problems('config: c.yaml\nsweep: { mode: random, params: { a.b: [1] } }\n').map((x) => x.path)).toEqual(['sweep.samples']);
    expect(problems('config: c.yaml\nsweep: { mode: grid }\n')[0].message).toMatch(/sweep nothing/);
  });

  it('reports YAML syntax errors as a problem of the file', () => {
    expect(problems('config: [unclosed\n')[0].message).toMatch(/^YAML/);
  });
});

describe('experiment plan', () => {
  it('a grid is the cartesian product, first dimension slowest, then seeds', () => {
    const e = parseExperiment('config: ../demo.yaml\nseeds: [7, 9]\nsweep: { params: { a.x: [1, 2], a.y: [s, t] } }\n', '/e/x.yaml');
    const plan = planExperiment(e, '/e/exp');
    expect(plan.config).toBe('/e/demo.yaml');
    expect(plan.dimensions).toEqual(['a.x', 'a.y']);
    expect(plan.settings.map((s) => s.values)).toEqual([
      { 'a.x': 1, 'a.y': 's' },
      { 'a.x': 1, 'a.y': 't' },
      { 'a.x': 2, 'a.y': 's' },
      { 'a.x': 2, 'a.y': 't' },
    ]);
    expect(plan.tasks.map((t) => `${t.setting}/${t.seed}`)).toEqual(['0/7', '0/9', '1/7', '1/9', '2/7', '2/9', '3/7', '3/9']);
    expect(plan.settings[3].assignments).toEqual([
      { path: 'a.x', value: 2 },
      { path: 'a.y', value: 't' },
    ]);
  });

  it('scenarios are one more dimension, shown by name, resolved from the experiment folder', () => {
    const e = parseExperiment('config: ../r.yaml\nseeds: 1\nsweep: { scenario: [../scenarios/maze.yaml, ../scenarios/open-field.yaml] }\n', 'x.yaml');
    const plan = planExperiment(e, '/c/experiments');
    expect(plan.dimensions).toEqual(['scenario']);
    expect(plan.settings.map((s) => [s.values.scenario, s.scenario])).toEqual([
      ['maze', '/c/scenarios/maze.yaml'],
      ['open-field', '/c/scenarios/open-field.yaml'],
    ]);
  });

  it('a random sweep draws the same settings from the same file, within the ranges, snapped to the step', () => {
    const text = 'config: c.yaml\nseeds: 2\nsweep: { mode: random, samples: 12, params: { a.x: { min: 0.3, max: 0.9, step: 0.1 }, a.y: { min: 1, max: 2 }, a.z: [p, q] } }\n';
    const a = planExperiment(parseExperiment(text, 'x.yaml'), '/');
    const b = planExperiment(parseExperiment(text, 'x.yaml'), '/');
    expect(a.settings).toEqual(b.settings);
    expect(a.tasks).toHaveLength(24);
    for (const s of a.settings) {
      const x = s.values['a.x'] as number;
      expect(x).toBeGreaterThanOrEqual(0.3);
      expect(x).toBeLessThanOrEqual(0.9);
      expect(Math.abs(x * 10 - Math.round(x * 10))).toBeLessThan(1e-9);
      expect(s.values['a.y']).toBeGreaterThanOrEqual(1);
      expect(['p', 'q']).toContain(s.values['a.z']);
    }
    const other = planExperiment(parseExperiment(text.replace('samples: 12', 'samples: 12, seed: 2'), 'x.yaml'), '/');
    expect(other.settings.map((s) => s.values)).not.toEqual(a.settings.map((s) => s.values));
  });

  it('--seeds n replaces the file seeds with 1..n', () => {
    expect(seedList(3)).toEqual(['1', '2', '3']);
    expect(seedList([5, 'x'])).toEqual(['5', 'x']);
    expect(seedList([5, 'x'], 2)).toEqual(['1', '2']);
  });
});
