import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'strata-experiment-'));

/** The CSV without its wall-time column: the rest must not depend on workers or order. */
const withoutWallTime = (csv: string): string => {
  const rows = csv.trimEnd().split('\n').map((l) => l.split(','));
  const col = rows[0].indexOf('wall_time_s');
  expect(col).toBeGreaterThan(0);
  return rows.map((r) => r.filter((_, i) => i !== col).join(',')).join('\n');
};

describe('strata experiment', () => {
  it('runs demo-sweep in workers: files, table, plots, and the same results on 1 and 2 workers', async () => {
    const a = tmp();
    const b = tmp();
    const one = await strata(['experiment', 'configs/experiments/demo-sweep.yaml', '--workers', '1', '--out', a], { timeoutMs: 120_000 });
    expect(one.code, one.stderr).toBe(0);
    const two = await strata(['experiment', 'configs/experiments/demo-sweep.yaml', '--workers', '2', '--out', b], { timeoutMs: 120_000 });
    expect(two.code, two.stderr).toBe(0);

    expect(one.stderr).toContain('4 settings × 2 seeds = 8 runs on 1 worker');
    expect(two.stderr).toMatch(/8 runs on 2 workers/);
    expect(two.stderr).toMatch(/\[#+\] 8\/8 runs · .* done/);

    // The table: a block per setting with the success rate and the metric's mean, sd and CI.
    expect(one.stdout).toContain('setting 4: nodes.cell.params.steps.1.args.seconds=9  nodes.cell.period=2s  (2 runs)');
    expect(one.stdout).toMatch(/success rate\s+2\s+1\.00 \(2\/2\)/);
    expect(one.stdout).toMatch(/sim_time_s\s+2\s+\d+\.\d+\s+0\s+\[/);

    for (const f of ['runs.csv', 'runs.json', 'summary.json', 'summary.txt']) expect(existsSync(join(a, f))).toBe(true);
    expect(readdirSync(join(a, 'plots')).sort()).toEqual([
      'sim_time_s-vs-nodes_cell_params_steps_1_args_seconds.svg',
      'sim_time_s-vs-nodes_cell_period.svg',
      'success-vs-nodes_cell_params_steps_1_args_seconds.svg',
      'success-vs-nodes_cell_period.svg',
    ]);

    const csvA = readFileSync(join(a, 'runs.csv'), 'utf8');
    const rows = csvA.trimEnd().split('\n');
    expect(rows[0]).toBe('nodes.cell.params.steps.1.args.seconds,nodes.cell.period,seed,status,success,sim_time_s,outcome,digest,wall_time_s,error');
    expect(rows).toHaveLength(9);
    expect(rows.slice(1).every((r) => /,ok,1,[\d.]+,success,[0-9a-f]{64},/.test(r))).toBe(true);
    // The arm's longer pick-and-place shows in the batch time.
    const time = (r: string): number => Number(r.split(',')[5]);
    expect(time(rows[7])).toBeGreaterThan(time(rows[1]));
    // Same file, different worker counts: the same rows and digests.
    expect(withoutWallTime(readFileSync(join(b, 'runs.csv'), 'utf8'))).toBe(withoutWallTime(csvA));

    const summary = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ experiment: 'demo-sweep', runs: 8, failed: 0, metrics: ['success', 'sim_time_s'] });
    expect(summary.settings).toHaveLength(4);
    expect(summary.settings[0].success.rate).toBe(1);
  }, 240_000);

  it('a run that fails is recorded with its error; the others still run', async () => {
    const dir = tmp();
    const r = await strata(['experiment', 'test/e2e/fixtures/experiment/exploding-sweep.yaml', '--workers', '1', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/4\/4 runs · 2 failed/);
    expect(r.stdout).toContain('setting 2: nodes.bomb.params.explode=true  (2 runs, 2 failed)');
    expect(r.stdout).toContain('failed: setting 2, seed 1: exploding kind: told to explode');
    const rows = readFileSync(join(dir, 'runs.csv'), 'utf8').trimEnd().split('\n');
    expect(rows.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['false,1,ok', 'false,2,ok', 'true,1,error', 'true,2,error']);
    expect(rows[4]).toMatch(/,exploding kind: told to explode$/);
  }, 60_000);

  it('a path that names no node stops the experiment before any run, naming the setting and the ids there are', async () => {
    const dir = tmp();
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, `config: ${join(process.cwd(), 'configs/demo.yaml')}\nseeds: 1\nsweep: { params: { nodes.robot.period: [1s] } }\n`);
    const bad = await strata(['experiment', file, '--out', join(dir, 'out')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/setting 1 \(nodes\.robot\.period=1s\) does not give a valid tree/);
    expect(bad.stderr).toMatch(/nodes\.robot: no item with id "robot".*ids: cell, conveyor, arm/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  }, 60_000);

  it('exits 2 naming the path of a bad experiment file', async () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'config: ../demo.yaml\nsweep: { mode: random, params: { nodes.cell.period: [1s] } }\nseeds: -1\n');
    const r = await strata(['experiment', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml: invalid experiment');
    expect(r.stderr).toMatch(/seeds: /);
    expect(r.stderr).toMatch(/sweep\.samples: a random sweep needs samples/);
  }, 60_000);
});
