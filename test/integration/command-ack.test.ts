import type { AuthorizeForwardHandler } from 'aedes';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { MqttLink } from '../../src/link/mqtt-link.js';
import { RealClock } from '../../src/time/real-clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import type { TreeRun } from '../../src/tree/tree-run.js';
import { uniqueTree } from '../support/brokers.js';
import { startRun, treeFrom } from '../support/trees.js';
import { Watcher } from '../support/watcher.js';

const cell = (tree: string): string => `
tree: ${tree}
time: { mode: real }
start: { id: batch-1, verb: run }
nodes:
  - id: cell
    kind: sequencer
    period: 100ms
    params:
      retries: 0
      steps:
        - { child: arm, verb: work, args: { seconds: 0.2 } }
  - { id: arm, kind: worker, parent: cell, period: 50ms }
`;

/**
 * A broker that loses QoS 1 messages (a full queue, a bridge going down) must not leave
 * a command hanging: the parent sends a command its child never acknowledged again,
 * and gives up with a reason if it never is. The embedded aedes drops deliveries to the
 * arm through its authorizeForward hook: a real broker losing real messages.
 */
describe('commands a broker lost', () => {
  let broker: EmbeddedBroker | undefined;
  let run: TreeRun | undefined;
  let watcher: Watcher | undefined;
  afterEach(async () => {
    await run?.stop();
    await watcher?.close();
    await broker?.close();
    run = watcher = broker = undefined;
  });

  async function start(tree: string, drop: (n: number) => boolean, clock: 'real' | 'virtual' = 'real'): Promise<{ dropped: () => number }> {
    let seen = 0;
    let dropped = 0;
    const authorizeForward: AuthorizeForwardHandler = (client, packet) => {
      if (client?.id !== `strata-${tree}-arm` || packet.topic !== `strata/${tree}/arm/cmd`) return packet;
      if (drop(++seen)) {
        dropped++;
        return null;
      }
      return packet;
    };
    broker = await startEmbeddedBroker({ anyPort: true, aedes: { authorizeForward } });
    const url = broker.url;
    watcher = await Watcher.connect(url, `strata/${tree}/#`);
    run = await startRun(await treeFrom(cell(tree)), { name: 'aedes', url, link: ({ clientId, will, tap }) => new MqttLink({ clientId, will, tap, endpoint: { url } }), close: async () => undefined }, clock === 'real' ? { clock: new RealClock() } : { clock: new VirtualClock(), lockstep: false });
    return { dropped: () => dropped };
  }

  it('sends an unacknowledged command again, same id and serial: it runs once and the mission completes', async () => {
    const tree = uniqueTree('ack-lost');
    const b = await start(tree, (n) => n === 1);
    await run!.sendStart();
    expect(await run!.run({ durationMs: 20_000 })).toBe('done');
    expect(b.dropped()).toBe(1);
    const cmds = watcher!.seen.filter((m) => m.topic === `strata/${tree}/arm/cmd`);
    expect(cmds).toHaveLength(2);
    expect(cmds[1].json).toMatchObject({ id: cmds[0].json.id, serial: cmds[0].json.serial });
    const armDone = watcher!.seen.filter((m) => m.topic === `strata/${tree}/arm/status` && m.json?.state === 'done');
    expect(armDone).toHaveLength(1);
    const health = await watcher!.waitFor((m) => m.topic === `strata/${tree}/cell/health` && m.json?.detail?.command_resends !== undefined, 'cell health with the re-send count', 5000);
    expect(health.json.detail.command_resends).toBe(1);
  });

  it('gives up on a child that never acknowledges: the step fails with a reason, and the mission with it', async () => {
    const tree = uniqueTree('ack-never');
    // Virtual time, free-running: 15 s of waiting pass at once (lockstep would wait for
    // the deliveries the broker drops).
    const b = await start(tree, () => true, 'virtual');
    await run!.sendStart();
    // 1 + 2 + 4 + 8 s of waiting at the 1 s floor before giving up.
    expect(await run!.run({ durationMs: 30_000 })).toBe('failed');
    expect(b.dropped()).toBe(4);
    expect(run!.rootOutcome()?.reason).toMatch(/never acknowledged work .*3 re-sends.*broker dropping messages/);
  });
});
