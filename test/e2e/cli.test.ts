import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

describe('the strata CLI', () => {
  it('answers --help for the program and for each verb', async () => {
    const top = await strata(['--help']);
    expect(top.code).toBe(0);
    for (const verb of ['run', 'node', 'validate']) expect(top.stdout).toContain(verb);
    const run = await strata(['run', '--help']);
    expect(run.stdout).toMatch(/--seed <n>/);
    expect(run.stdout).toMatch(/--broker <url>/);
  });

  it('validates a good config and exits 2 listing every problem of a bad one', async () => {
    const ok = await strata(['validate', 'configs/demo.yaml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid tree "demo" with 3 nodes');
    const dir = mkdtempSync(join(tmpdir(), 'strata-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'tree: t/x\nnodes:\n  - { id: a, kind: wrker, period: 1s }\n  - { id: b, kind: worker, parent: c, period: fast }\n');
    const r = await strata(['validate', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:1:7 tree: use only letters/);
    expect(r.stderr).toMatch(/bad\.yaml:4:47 nodes\[1\]\.period: "fast" is not a duration/);
  });

  it('runs a tree to the end, prints a summary and writes it as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-'));
    const summaryFile = join(dir, 'summary.json');
    const r = await strata(['run', 'configs/examples/thermostat.yaml', '--port', '0', '--quiet', '--summary', summaryFile, '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/broker mqtt:\/\/127\.0\.0\.1:\d+/);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary).toMatchObject({ outcome: 'success', end: 'done', root_state: 'done' });
    expect(summary.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.sim_time_s).toBeGreaterThan(60);
  });
});
