import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTree } from '../../src/cli/cli-support.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { aedesTcp, type TestBroker } from '../support/brokers.js';
import { startRun } from '../support/trees.js';

/**
 * The operator's stop: aborting the mission must stop the rover, through every layer
 * (mission → navigator → pilot → reflex → the wheels), whatever each kind does when it
 * is left without a task.
 */
describe('aborting the rover mission', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await aedesTcp.start();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('stops the rover: the layers below end their tasks or hold, and the wheels stop', async () => {
    const tree = await loadTree('configs/rover-mission.yaml');
    // Everything the tree publishes, in lockstep order, with the virtual time it went out.
    const msgs: Array<{ node: string; channel: string; t: number; json: any }> = [];
    const run = await startRun(tree, broker, {
      clock: new VirtualClock(),
      onPublish: (t, p, now) => {
        const [, , node, channel] = t.split('/');
        if (p.length > 0) msgs.push({ node, channel, t: now, json: JSON.parse(p) });
      },
    });
    const of = (node: string, channel: string) => msgs.filter((m) => m.node === node && m.channel === channel);
    try {
      // Sent as the operator without watching it: the run goes on after the root ends.
      const start = tree.config.start!;
      await run.operator.command(tree.root, start.verb, start.args, { id: start.id });
      await run.run({ durationMs: 20_000 });
      expect(of('reflex', 'sense').some((m) => Math.abs(m.json.values.out_v) > 0.05)).toBe(true);
      await run.operator.abort('mission');
      await run.run({ durationMs: 3_000 });
      const mission = of('mission', 'status').find((m) => m.json.state === 'aborted');
      expect(mission?.json.reason).toMatch(/aborted by operator/);
      // The mission gives the navigator nothing once its task is gone: the runtime stops it.
      const nav = of('navigator', 'status').find((m) => m.json.state === 'aborted');
      expect(nav?.json.reason).toMatch(/aborted by mission/);
      expect(nav!.t).toBe(mission!.t);
      // Below, the navigator holds and the pilot stops: a second after the abort the wheels are still.
      // Below, the navigator holds and the pilot stops the reflex: within a second the
      // wheels are still, and stay so to the end of the run.
      const wheels = of('reflex', 'sense').filter((m) => m.t >= mission!.t);
      const stoppedAt = wheels.find((m) => m.json.values.out_v === 0 && m.json.values.out_w === 0)?.t;
      expect(stoppedAt).toBeDefined();
      expect(stoppedAt! - mission!.t).toBeLessThanOrEqual(1000);
      expect(wheels.filter((m) => m.t >= stoppedAt!).every((m) => m.json.values.out_v === 0 && m.json.values.out_w === 0)).toBe(true);
      // The rover itself: half a second after the wheels are told to stop, its wheel
      // odometry no longer moves.
      const odo = of('rover', 'sense').filter((m) => m.t >= stoppedAt! + 500);
      expect(odo.length).toBeGreaterThan(100);
      expect(new Set(odo.map((m) => `${m.json.values.odom_left}/${m.json.values.odom_right}`)).size).toBe(1);
      expect(of('navigator', 'status').filter((m) => m.t > mission!.t && m.json.state === 'executing' && !String(m.json.id).startsWith('idle'))).toEqual([]);
    } finally {
      await run.stop();
    }
  });
});
