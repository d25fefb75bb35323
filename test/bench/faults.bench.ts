import { percentile, round, type Benchmark } from './benchmark.js';
import { uniqueTree } from '../support/brokers.js';
import { Mosquitto } from '../support/mosquitto-broker.js';
import { launch, Trace, writeTree } from '../support/mosquitto-launch.js';

const KILLS = 5;
const BROKER_RESTARTS = 2;

/** One long step on `arm`, so the arm is always executing something worth killing. */
const tree = (id: string): string => `tree: ${id}
time: { mode: real }
nodes:
  - id: cell
    kind: sequencer
    period: 200ms
    params:
      retries: 100
      steps: [{ child: arm, verb: work, args: { seconds: 3600 } }]
  - { id: arm, kind: worker, parent: cell, period: 50ms }
`;

/**
 * Faults over processes (strata launch, our own mosquitto): SIGKILL of a worker, timed
 * to the parent's reaction (it re-issues the step: it has marked the child offline)
 * and to the child executing again; and a broker restart, timed to every node back.
 */
export const bench: Benchmark = {
  name: 'faults',
  description: `SIGKILL a worker ${KILLS}x and restart mosquitto ${BROKER_RESTARTS}x under strata launch; detection and recovery times`,
  async run(ctx) {
    const broker = await Mosquitto.start();
    const id = uniqueTree('bench-faults');
    const t = await Trace.connect(broker.url, id);
    const l = launch([writeTree(tree(id)), '--broker', broker.url, '--grace', '2000', '--stable-after', '1000']);
    try {
      for (const n of ['cell', 'arm']) await t.waitFor((m) => m.topic === `strata/${id}/${n}/state` && m.json?.state === 'online', `${n} birth`);
      await t.command(id, 'cell', 'm1', 1);
      const executing = (from: number) => t.waitFor((m) => m.i >= from && m.node === 'arm' && m.channel === 'status' && m.json?.state === 'executing', 'arm executing', 30_000, from);
      await executing(0);
      const will: number[] = [];
      const detect: number[] = [];
      const recover: number[] = [];
      const cmdsPerKill: number[] = [];
      for (let k = 0; k < KILLS; k++) {
        const mark = t.msgs.length;
        const pid = l.pid('arm');
        const t0 = performance.now();
        process.kill(pid, 'SIGKILL');
        const w = await t.waitFor((m) => m.i >= mark && m.node === 'arm' && m.channel === 'state' && m.json?.state === 'offline', 'will', 10_000, mark);
        // The parent has marked its command failed when its status says it is retrying the step.
        const reissue = await t.waitFor((m) => m.i >= mark && m.node === 'cell' && m.channel === 'status' && /went offline/.test(m.json?.reason ?? ''), 'parent reacts', 10_000, mark);
        const back = await executing(reissue.i);
        will.push(w.at - t0);
        detect.push(reissue.at - t0);
        recover.push(back.at - t0);
        cmdsPerKill.push(t.msgs.slice(mark, back.i).filter((m) => m.node === 'arm' && m.channel === 'cmd').length);
        ctx.log(`kill ${k + 1}: will ${round(w.at - t0, 1)} ms, parent ${round(reissue.at - t0, 1)} ms, executing again ${round(back.at - t0, 0)} ms`);
        // Let the node count as stable (--stable-after 1000) so each restart uses the first backoff step.
        await t.waitFor((m) => m.node === 'arm' && m.channel === 'health' && m.at > back.at + 1000, 'arm stable', 10_000, back.i);
      }
      const restart: number[] = [];
      for (let r = 0; r < BROKER_RESTARTS; r++) {
        const mark = t.msgs.length;
        const t0 = performance.now();
        await broker.restart();
        let last = 0;
        for (const n of ['cell', 'arm']) {
          const b = await t.waitFor((m) => m.i >= mark && m.node === n && m.channel === 'state' && m.json?.state === 'online', `${n} back`, 30_000, mark);
          last = Math.max(last, b.at);
        }
        // The arm's status only changes on progress; its heartbeat says what it is executing.
        const again = await t.waitFor((m) => m.i >= mark && m.node === 'arm' && m.channel === 'health' && m.at >= last && m.json?.command?.state === 'executing', 'arm heartbeat', 30_000, mark);
        restart.push(Math.max(last, again.at) - t0);
        ctx.log(`broker restart ${r + 1}: every node back online after ${round(restart.at(-1)!, 0)} ms`);
      }
      return {
        will_ms_p50: round(percentile(will, 50), 1),
        detect_ms_p50: round(percentile(detect, 50), 1),
        detect_ms_max: round(Math.max(...detect), 1),
        recover_ms_p50: round(percentile(recover, 50), 0),
        recover_ms_max: round(Math.max(...recover), 0),
        commands_per_kill_p50: percentile(cmdsPerKill, 50),
        broker_restart_recover_ms: round(percentile(restart, 50), 0),
        kills: KILLS,
        broker_restarts: BROKER_RESTARTS,
      };
    } finally {
      await t.close();
      await l.stop();
      await broker.stop();
    }
  },
};
