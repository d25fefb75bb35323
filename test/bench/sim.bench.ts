import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTree } from '../../src/cli/cli-support.js';
import { reportersFor } from '../../src/cli/reporters.js';
import { runTree, type RunFlags } from '../../src/cli/run-command.js';
import { silentLogger } from '../../src/log/logger.js';
import { round, type Benchmark } from './benchmark.js';
import { Mosquitto } from '../support/mosquitto-broker.js';

const CONFIG = 'configs/rover-mission.yaml';

async function once(flags: RunFlags): Promise<{ speedup: number; msgs: number; wall: number; digest: string; outcome: string }> {
  const tree = await loadTree(CONFIG);
  const out = mkdtempSync(join(tmpdir(), 'strata-bench-'));
  const r = await runTree(tree, { quiet: true, out, ...flags }, silentLogger, await reportersFor(tree, flags), () => undefined);
  const s = r.summary as Record<string, number | string>;
  return { speedup: Number(s.speedup), msgs: Number(s.messages), wall: Number(s.wall_time_s), digest: String(s.digest), outcome: String(s.outcome) };
}

export const bench: Benchmark = {
  name: 'sim',
  description: 'the default rover mission in virtual time: speed-up on the embedded broker, on mosquitto, and without lockstep',
  async run(ctx) {
    const embedded = await once({ port: '0' });
    ctx.log(`embedded (memory transport): ${embedded.speedup}x, ${embedded.outcome}`);
    const tcp = await once({ port: '0', transport: 'tcp' });
    ctx.log(`embedded over TCP: ${tcp.speedup}x`);
    // Our own mosquitto with Nagle off (set_tcp_nodelay), unless STRATA_BENCH_BROKER names
    // one: with mosquitto's default the lockstep mission crawls at ~1x (docs/PERFORMANCE.md).
    let own: Mosquitto | undefined;
    let mosq: Awaited<ReturnType<typeof once>> | undefined;
    try {
      if (!process.env.STRATA_BENCH_BROKER) own = await Mosquitto.start({ conf: 'allow_anonymous true\nset_tcp_nodelay true', verbose: false });
      const broker = process.env.STRATA_BENCH_BROKER ?? own!.url;
      mosq = await once({ broker });
      ctx.log(`mosquitto ${broker}: ${mosq.speedup}x`);
    } catch (err) {
      ctx.log(`no mosquitto (${(err as Error).message}); speedup_mosquitto left out`);
    } finally {
      await own?.stop();
    }
    const free = await once({ port: '0', free: true });
    ctx.log(`free-running (no lockstep): ${free.speedup}x`);
    return {
      outcome: embedded.outcome,
      speedup_embedded: round(embedded.speedup, 1),
      speedup_embedded_tcp: round(tcp.speedup, 1),
      ...(mosq ? { speedup_mosquitto: round(mosq.speedup, 1), same_digest_on_mosquitto: mosq.digest === embedded.digest } : {}),
      speedup_free: round(free.speedup, 1),
      lockstep_cost: round(free.speedup / embedded.speedup, 2),
      msgs_per_s: round(embedded.msgs / embedded.wall, 0),
      same_digest_tcp: tcp.digest === embedded.digest,
      target_speedup: 100,
    };
  },
};
