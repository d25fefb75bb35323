import { describe, expect, it } from 'vitest';
import { planUnits, unitCommand } from '../../../src/cli/commands/launch.js';
import { treeFrom } from '../../support/trees.js';

const yaml = `
tree: t
nodes:
  - { id: cell, kind: sequencer, period: 1s }
  - { id: conveyor, kind: worker, parent: cell, period: 100ms }
  - { id: arm, kind: worker, parent: cell, period: 100ms }
`;

const flags = { group: [], grace: '5000', restartMin: '250', restartMax: '10000', stableAfter: '10000' };

describe('strata launch: processes and their command lines', () => {
  it('gives each --group one process and every other node its own; refuses unknown and doubled ids', async () => {
    const tree = await treeFrom(yaml);
    expect(planUnits(tree, [])).toEqual([['cell'], ['conveyor'], ['arm']]);
    expect(planUnits(tree, ['arm, conveyor'])).toEqual([['arm', 'conveyor'], ['cell']]);
    expect(() => planUnits(tree, ['arm,gripper'])).toThrow(/no node "gripper".*nodes are: cell, conveyor, arm/);
    expect(() => planUnits(tree, ['arm', 'arm,cell'])).toThrow(/"arm" is already in another group/);
  });

  it('passes a node its user name on argv and its password only in the environment', async () => {
    const secrets = { v: 1 as const, tree: 't', users: { arm: 'pw-arm', cell: 'pw-cell' } };
    const u = unitCommand('/c.yaml', ['arm'], 'mqtts://b:8883', { ...flags, ca: 'ca.crt' }, 'info', secrets);
    expect(u.args).toEqual(['--log-level', 'info', 'node', '/c.yaml', '--id', 'arm', '--broker', 'mqtts://b:8883', '--username', 'arm', '--ca', expect.stringMatching(/\/ca\.crt$/)]);
    expect(u.env).toEqual({ STRATA_PASSWORD: 'pw-arm' });
    expect(u.args.join(' ')).not.toContain('pw-');
    expect(() => unitCommand('/c.yaml', ['conveyor'], 'mqtt://b', flags, 'info', secrets)).toThrow(/no password for node "conveyor"/);
    const g = unitCommand('/c.yaml', ['arm', 'conveyor'], 'mqtt://b', { ...flags, secrets: 's.json' }, 'warn', secrets);
    expect(g.args.slice(0, 6)).toEqual(['--log-level', 'warn', 'node-group', '/c.yaml', '--ids', 'arm,conveyor']);
    expect(g.args).toContain('--secrets');
  });
});
