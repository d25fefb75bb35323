import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadTree } from '../../src/cli/cli-support.js';
import { scenarioOverride } from '../../src/cli/core-commands.js';
import { reportersFor } from '../../src/cli/reporters.js';
import { runTree } from '../../src/cli/run-command.js';
import { silentLogger } from '../../src/log/logger.js';
import { Mosquitto } from '../support/mosquitto-broker.js';

/**
 * The rover mission on every scenario in configs/scenarios/, over the embedded broker
 * on TCP, each asserting the outcome its scenario file expects. Many seeds per
 * scenario are run by `strata experiment configs/experiments/scenario-success.yaml`.
 */
async function mission(scenario: string, seed: number, extra: Record<string, unknown> = {}) {
  const tree = await loadTree('configs/rover-mission.yaml', [scenarioOverride(scenario)]);
  const flags = { quiet: true, seed: String(seed), port: '0', transport: 'tcp' as const, out: mkdtempSync(join(tmpdir(), 'strata-scenario-')), ...extra };
  const r = await runTree(tree, flags, silentLogger, await reportersFor(tree, flags), () => undefined);
  return r.summary as Record<string, any>;
}

const scenarios = readdirSync('configs/scenarios')
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => {
    const spec = parse(readFileSync(join('configs/scenarios', f), 'utf8')) as { name: string; expect?: { outcome?: string; max_collisions?: number } };
    return { file: join('configs/scenarios', f), name: spec.name, outcome: spec.expect?.outcome ?? 'success', maxCollisions: spec.expect?.max_collisions ?? 0 };
  });

describe('the rover mission on each scenario (seed 1)', () => {
  it('finds the scenarios', () => {
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['open-field', 'cluttered', 'maze', 'low-battery', 'range-dropout', 'mission-silent']));
  });

  it.each(scenarios)('$name ends $outcome with at most $maxCollisions collisions', async (s) => {
    const summary = await mission(s.file, 1);
    if (s.outcome === 'success') {
      expect(summary.outcome, JSON.stringify(summary)).toBe('success');
      expect(summary.targets_done).toBe(summary.targets_total);
    } else {
      expect(summary.outcome, JSON.stringify(summary)).toMatch(new RegExp(`^${s.outcome}`));
    }
    expect(summary.collisions).toBeLessThanOrEqual(s.maxCollisions);
    expect(summary.digest).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);
});

describe('reproducibility', () => {
  it('gives the same digest for the same seed, on TCP and in memory, and another for another seed', async () => {
    const a = await mission('configs/scenarios/open-field.yaml', 7);
    const b = await mission('configs/scenarios/open-field.yaml', 7, { transport: 'memory' });
    const c = await mission('configs/scenarios/open-field.yaml', 8);
    expect(b.digest).toBe(a.digest);
    expect(b.messages).toBe(a.messages);
    expect(c.digest).not.toBe(a.digest);
  }, 120_000);

  it('gives the same digest on mosquitto as on the embedded broker', async () => {
    // Our own mosquitto with Nagle off: with it on (mosquitto's default), every QoS 1
    // round trip waits out a delayed ACK (~40 ms) and lockstep crawls at real time.
    const mosquitto = await Mosquitto.start({ conf: 'allow_anonymous true\nset_tcp_nodelay true', verbose: false });
    try {
      const a = await mission('configs/scenarios/open-field.yaml', 7);
      const m = await mission('configs/scenarios/open-field.yaml', 7, { broker: mosquitto.url });
      expect(m.digest).toBe(a.digest);
      expect(m.outcome).toBe('success');
    } finally {
      await mosquitto.stop();
    }
  }, 180_000);
});
