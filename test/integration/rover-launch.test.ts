import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTree } from '../support/brokers.js';
import { Mosquitto } from '../support/mosquitto-broker.js';
import { launch, Trace, writeTree, type Launched } from '../support/mosquitto-launch.js';

/**
 * The rover tree as it would run on a robot: every node its own process under
 * `strata launch`, in real time, on a mosquitto of our own. The pilot (level 2) is
 * SIGKILLed while the rover drives: the reflex below it must stop the wheels at once,
 * the launcher must bring the pilot back, and the tree must drive the rover again.
 */
describe('the rover tree under strata launch', () => {
  let broker: Mosquitto;
  let running: Launched | undefined;
  let trace: Trace | undefined;

  beforeAll(async () => {
    broker = await Mosquitto.start({ conf: 'allow_anonymous true\nset_tcp_nodelay true', verbose: false });
  });
  afterAll(async () => {
    await trace?.close();
    if (running) await running.stop();
    await broker?.stop();
  });

  /** configs/rover-mission.yaml under another tree id, its scenario files named absolutely. */
  function roverTree(tree: string): string {
    const text = readFileSync('configs/rover-mission.yaml', 'utf8');
    return text.replace(/^tree: rover$/m, `tree: ${tree}`).replaceAll('scenario: scenarios/', `scenario: ${resolve('configs/scenarios')}/`);
  }

  it('pilot SIGKILLed while driving: the reflex stops the wheels, the pilot comes back and the rover drives again', async () => {
    const tree = uniqueTree('rover-launch');
    trace = await Trace.connect(broker.url, tree);
    const t = trace;
    running = launch([writeTree(roverTree(tree)), '--broker', broker.url, '--grace', '2000']);
    const l = running;
    const online = (node: string) => (m: { topic: string; json: any }) => m.topic === `strata/${tree}/${node}/state` && m.json?.state === 'online';
    for (const n of ['mission', 'navigator', 'pilot', 'reflex', 'rover']) await t.waitFor(online(n), `${n} birth`, 30_000);
    await t.command(tree, 'mission', 'explore-1', 1, 'explore');
    // The reflex reports what it drives (out_v) in its sensations.
    const driving = (m: { topic: string; json: any }) => m.topic === `strata/${tree}/reflex/sense` && m.json?.values?.out_v > 0.05;
    await t.waitFor(driving, 'the rover driving', 30_000);
    // Let it get well away from its start, so a pilot that believed the start pose would be wrong.
    const fixOf = (m: { json: any }) => ({ x: m.json.values.fix_x as number, y: m.json.values.fix_y as number });
    const isFix = (m: { topic: string; json: any }) => m.topic === `strata/${tree}/rover/sense` && typeof m.json?.values?.fix_x === 'number';
    const firstFix = fixOf(t.msgs.find(isFix)!);
    await t.waitFor((m) => isFix(m) && Math.hypot(fixOf(m).x - firstFix.x, fixOf(m).y - firstFix.y) > 3, 'the rover 3 m from its start', 60_000);

    const pid = l.pid('pilot');
    const mark = t.msgs.length;
    process.kill(pid, 'SIGKILL');
    const will = await t.waitFor((m) => m.i >= mark && m.topic === `strata/${tree}/pilot/state` && m.json?.state === 'offline', 'pilot last will', 10_000, mark);
    // Stopped safely: the reflex's next sensations report the wheels still, and it says why.
    const stopped = await t.waitFor((m) => m.i > will.i && m.topic === `strata/${tree}/reflex/sense` && m.json?.values?.out_v === 0, 'reflex stops the rover', 5_000, will.i);
    expect(stopped.at - will.at).toBeLessThan(1000);
    const aborted = await t.waitFor((m) => m.i >= mark && m.topic === `strata/${tree}/reflex/status` && m.json?.state === 'aborted', 'reflex ends its drive', 5_000, mark);
    expect(aborted.json.reason).toMatch(/parent pilot went offline/);

    // The launcher restarts the pilot (new session); the navigator commands it again, and the rover drives.
    const reborn = await t.waitFor((m) => m.i > will.i && online('pilot')(m), 'pilot back', 30_000, will.i);
    expect(reborn.json.session).not.toBe(will.json.session);
    // The new pilot knows where the rover is from its first report, not the start pose the
    // rover left more than 3 m behind: within 1.5 m of the rover's own (noisy) fix.
    const firstPose = await t.waitFor((m) => m.i > reborn.i && m.topic === `strata/${tree}/pilot/sense` && typeof m.json?.values?.x === 'number', 'new pilot pose', 30_000, reborn.i);
    const fix = fixOf([...t.msgs].reverse().find((m) => m.i < firstPose.i && isFix(m))!);
    expect(Math.hypot(firstPose.json.values.x - fix.x, firstPose.json.values.y - fix.y)).toBeLessThan(1.5);
    await t.waitFor((m) => m.i > reborn.i && m.topic === `strata/${tree}/pilot/cmd` && m.json?.from === 'navigator', 'navigator commands the new pilot', 30_000, reborn.i);
    await t.waitFor((m) => m.i > reborn.i && driving(m), 'the rover driving again', 30_000, reborn.i);
    // Nothing hit on the way, and the mission is still going.
    const health = await t.waitFor((m) => m.i > reborn.i && m.topic === `strata/${tree}/rover/health` && m.json?.detail?.collisions !== undefined, 'rover health', 5_000, reborn.i);
    expect(health.json.detail.collisions).toBe(0);
    const missionFailed = t.msgs.filter((m) => m.topic === `strata/${tree}/mission/status` && ['failed', 'aborted'].includes(m.json?.state));
    expect(missionFailed).toEqual([]);
    expect(await l.stop()).toBe(0);
    running = undefined;
  }, 150_000);
});
