import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { startEmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { MqttLink } from '../../src/link/mqtt-link.js';
import { silentLogger } from '../../src/log/logger.js';
import { createRandom } from '../../src/time/random.js';
import { RealClock, wallStopwatch } from '../../src/time/real-clock.js';
import { TreeRun } from '../../src/tree/tree-run.js';
import { round, type Benchmark, type BenchContext, type Figures } from './benchmark.js';
import { ScriptChild } from './support/child-process.js';
import { HeartbeatMeter } from './support/heartbeat-meter.js';
import { SCALE_PERIODS_MS, scaleTree } from './support/scale-tree.js';

const here = dirname(fileURLToPath(import.meta.url));
const WINDOW_MS = Number(process.env.STRATA_SCALE_WINDOW_MS ?? 10_000);
const SETTLE_MS = 2_000;
const PARTS = 4;
const AEDES_CONCURRENCY = Number(process.env.STRATA_SCALE_AEDES_CONCURRENCY ?? 100_000);

const mb = (bytes: number): number => bytes / 2 ** 20;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The whole tree in this process, on the embedded broker, each node with its own connection. */
async function inProcess(ctx: BenchContext, transport: 'memory' | 'tcp'): Promise<Figures> {
  // With aedes's default concurrency (100), start-up's bursts (retained clears, 1,111
  // connects and subscriptions, births) queue in mqemitter, whose recursive drain
  // overflows the stack (docs/PERFORMANCE.md).
  const broker = await startEmbeddedBroker({ anyPort: true, aedes: { concurrency: AEDES_CONCURRENCY } });
  const treeId = `scale-${transport}`;
  const tree = await scaleTree(treeId);
  const ids = tree.specs.map((s) => s.id);
  const meter = await HeartbeatMeter.connect(broker.url, treeId);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const run = new TreeRun({
    tree,
    clock: new RealClock(),
    random: createRandom(1),
    log: silentLogger,
    link: ({ clientId, will, tap }) => new MqttLink({ clientId, will, tap, ...(transport === 'memory' ? { stream: () => broker.connectInMemory() } : { endpoint: { url: broker.url } }) }),
    session: Date.now(),
    stopwatch: wallStopwatch,
    clearRetained: true,
  });
  await run.start();
  await meter.births(ids.length, 60_000);
  const startup = (performance.now() - t0) / 1000;
  ctx.log(`${transport}: ${ids.length} births seen in ${round(startup, 2)} s`);
  await sleep(SETTLE_MS);
  const w = await meter.window(WINDOW_MS, ids);
  global.gc?.();
  const rssAfter = process.memoryUsage().rss;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - t0);
  const totals = meter.cycleTotals();
  ctx.log(`${transport}: ${w.received}/${w.expected} heartbeats in ${WINDOW_MS / 1000} s, ${w.lost} lost, rss ${round(mb(rssAfter), 0)} MB, cpu ${round(cpuShare * 100, 0)}% of a core, ${totals.missed} missed cycles`);
  await run.stop('bench over');
  await meter.end();
  await broker.close();
  return {
    startup_s: round(startup, 2),
    rss_mb: round(mb(rssAfter), 1),
    kb_per_node: round((rssAfter - rssBefore) / 1024 / ids.length, 1),
    heartbeats_per_s: round(w.received / (WINDOW_MS / 1000), 1),
    lost_heartbeats: w.lost,
    expected_heartbeats: w.expected,
    cpu_cores: round(cpuShare, 2),
    missed_cycles: totals.missed,
  };
}

/** The same tree over four processes on an external broker (mosquitto). */
async function split(ctx: BenchContext, url: string): Promise<Figures> {
  const treeId = `scale-split-${process.pid}`;
  const tree = await scaleTree(treeId);
  const ids = tree.specs.map((s) => s.id);
  const meter = await HeartbeatMeter.connect(url, treeId);
  const session = String(Date.now());
  const children = Array.from({ length: PARTS }, (_, i) => new ScriptChild(join(here, 'support', `scale-part${extname(fileURLToPath(import.meta.url))}`), [url, treeId, String(i), String(PARTS), session]));
  try {
    await Promise.all(children.map((c) => c.expect('ready')));
    const t0 = performance.now();
    for (const c of children) c.send('go');
    await meter.births(ids.length, 60_000);
    const startup = (performance.now() - t0) / 1000;
    ctx.log(`mosquitto, ${PARTS} processes: ${ids.length} births seen in ${round(startup, 2)} s`);
    await sleep(SETTLE_MS);
    const w = await meter.window(WINDOW_MS, ids);
    for (const c of children) c.send('rss');
    const rss = (await Promise.all(children.map((c) => c.expect('rss')))).reduce((s, l) => s + Number(l.split(' ')[1]), 0);
    ctx.log(`mosquitto: ${w.received}/${w.expected} heartbeats, ${w.lost} lost, ${round(mb(rss), 0)} MB over ${PARTS} processes`);
    for (const c of children) c.send('stop');
    await Promise.all(children.map((c) => c.expect('stopped')));
    return {
      scale_mosquitto_startup_s: round(startup, 2),
      scale_mosquitto_lost_heartbeats: w.lost,
      scale_mosquitto_heartbeats_per_s: round(w.received / (WINDOW_MS / 1000), 1),
      scale_mosquitto_rss_mb: round(mb(rss), 1),
    };
  } finally {
    for (const c of children) c.kill();
    await clearRetained(url, treeId, ids);
    await meter.end();
  }
}

/** mosquitto persists retained messages: leave nothing of the bench tree behind. */
async function clearRetained(url: string, treeId: string, ids: readonly string[]): Promise<void> {
  const c = await mqtt.connectAsync(url, { protocolVersion: 4 });
  await Promise.all(ids.flatMap((id) => ['state', 'status'].map((ch) => c.publishAsync(`strata/${treeId}/${id}/${ch}`, '', { qos: 1, retain: true }))));
  await c.endAsync();
}

export const bench: Benchmark = {
  name: 'scale',
  description: `1,111 nodes (fan-out 10, 4 levels in all, periods ${SCALE_PERIODS_MS.join('/')} ms, heartbeat 1 s) in real time: one process on the embedded broker, then 4 processes on mosquitto`,
  async run(ctx) {
    const one = await inProcess(ctx, (process.env.STRATA_SCALE_TRANSPORT as 'memory' | 'tcp' | undefined) ?? 'memory');
    const figures: Figures = { nodes: 1111, periods_ms: SCALE_PERIODS_MS.join('/'), ...one };
    const url = process.env.STRATA_BENCH_BROKER ?? 'mqtt://127.0.0.1:1883';
    try {
      Object.assign(figures, await split(ctx, url));
    } catch (err) {
      ctx.log(`split run on ${url} failed: ${(err as Error).message}`);
    }
    return { ...figures, target_startup_s: 5, target_kb_per_node: 200 };
  },
};
