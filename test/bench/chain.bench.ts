import mqtt from 'mqtt';
import { z } from 'zod';
import { builtinKinds } from '../../nodes/index.js';
import { startEmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { MqttLink } from '../../src/link/mqtt-link.js';
import { silentLogger } from '../../src/log/logger.js';
import { defineNodeKind, type AnyNodeKind } from '../../src/node/node-kind.js';
import { createRandom } from '../../src/time/random.js';
import { RealClock, wallStopwatch } from '../../src/time/real-clock.js';
import { TreeRun } from '../../src/tree/tree-run.js';
import { percentile, round, type Benchmark } from './benchmark.js';

const N = 400;
const WARMUP = 50;
const LEVELS = 4;

/** Forwards its task to its one child at once and is done when the child is; a leaf is done at once. */
const relayKind = defineNodeKind({
  kind: 'relay',
  description: 'bench: passes a command straight down and the outcome straight up',
  params: z.object({}),
  verbs: { go: z.object({}).strict() },
  create: (ctx) => ({
    behave: (_w, _s, input) => {
      const task = input.task;
      if (!task) return {};
      const child = ctx.children[0];
      if (child === undefined) return { status: { state: 'done' } };
      const c = input.children[child]?.command;
      if (c?.id === task.id && c.state === 'done') return { status: { state: 'done' } };
      return { commands: { [child]: { id: task.id, verb: 'go' } }, status: { state: 'executing' } };
    },
  }),
});

async function client(url: string): Promise<mqtt.MqttClient> {
  const c = await mqtt.connectAsync(url, { protocolVersion: 4 });
  (c.stream as unknown as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
  return c;
}

/** Stopwatches over one client's messages: each resolves when a message on its topic satisfies its test. */
function waiter(c: mqtt.MqttClient): (topic: string, pred: (payload: Buffer) => boolean) => Promise<number> {
  let waits: Array<{ topic: string; pred: (p: Buffer) => boolean; resolve: (t: number) => void }> = [];
  c.on('message', (t, p) => {
    const now = performance.now();
    waits = waits.filter((w) => {
      if (t !== w.topic || !w.pred(p)) return true;
      w.resolve(now);
      return false;
    });
  });
  return (topic, pred) => new Promise((resolve) => waits.push({ topic, pred, resolve }));
}

/** Raw mqtt.js: LEVELS clients forward a command down from their message handlers, and the status back up. */
async function rawChain(url: string): Promise<{ down: number[]; round: number[] }> {
  const relays = await Promise.all(Array.from({ length: LEVELS }, () => client(url)));
  for (let i = 0; i < LEVELS; i++) {
    const r = relays[i];
    await r.subscribeAsync({ [`bench/chain/${i}/cmd`]: { qos: 1 }, ...(i < LEVELS - 1 ? { [`bench/chain/${i + 1}/status`]: { qos: 1 } } : {}) });
    r.on('message', (t, p) => {
      if (t.endsWith('/cmd')) r.publish(i < LEVELS - 1 ? `bench/chain/${i + 1}/cmd` : `bench/chain/${i}/status`, p, { qos: 1 });
      else r.publish(`bench/chain/${i}/status`, p, { qos: 1 });
    });
  }
  const op = await client(url);
  await op.subscribeAsync({ [`bench/chain/${LEVELS - 1}/status`]: { qos: 1 }, 'bench/chain/0/status': { qos: 1 } });
  const wait = waiter(op);
  const down: number[] = [];
  const rt: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const id = `c${i}`;
    const payload = JSON.stringify({ v: 1, id, serial: i + 1, verb: 'go', args: {}, from: 'operator', session: 1 });
    const has = (p: Buffer): boolean => p.includes(`"${id}"`);
    const leaf = wait(`bench/chain/${LEVELS - 1}/status`, has);
    const up = wait('bench/chain/0/status', has);
    const t0 = performance.now();
    op.publish('bench/chain/0/cmd', payload, { qos: 1 });
    const tDown = await leaf;
    const tUp = await up;
    if (i >= WARMUP) {
      down.push(tDown - t0);
      rt.push(tUp - t0);
    }
  }
  await Promise.all([...relays, op].map((c) => c.endAsync()));
  return { down, round: rt };
}

/** The same path through a strata tree of relays in real time. */
async function strataChain(url: string): Promise<{ down: number[]; round: number[] }> {
  const ids = Array.from({ length: LEVELS }, (_, i) => `r${i}`);
  const nodes = ids.map((id, i) => ({ id, kind: 'relay', ...(i > 0 ? { parent: ids[i - 1] } : {}), period: '1s' }));
  const kinds = new Map(builtinKinds);
  kinds.set('relay', relayKind as unknown as AnyNodeKind);
  const tree = await parseConfigText(JSON.stringify({ tree: 'chain', time: { mode: 'real' }, nodes }), 'chain.yaml', kinds);
  const session = Date.now();
  const run = new TreeRun({
    tree,
    clock: new RealClock(),
    random: createRandom(1),
    log: silentLogger,
    link: ({ clientId, will, tap }) => new MqttLink({ clientId, will, tap, endpoint: { url } }),
    session,
    stopwatch: wallStopwatch,
    clearRetained: true,
  });
  const op = await client(url);
  const leafTopic = `strata/chain/${ids[LEVELS - 1]}/status`;
  const rootTopic = `strata/chain/${ids[0]}/status`;
  await op.subscribeAsync({ [leafTopic]: { qos: 1 }, [rootTopic]: { qos: 1 }, 'strata/chain/+/state': { qos: 1 } });
  const wait = waiter(op);
  const online = new Set<string>();
  const allOnline = new Promise<void>((resolve) =>
    op.on('message', (t, p) => {
      if (t.endsWith('/state') && p.length > 0 && JSON.parse(p.toString()).state === 'online') online.add(t);
      if (online.size === LEVELS) resolve();
    }),
  );
  await run.start();
  await allOnline;
  const down: number[] = [];
  const rt: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const id = `c${i}`;
    const payload = JSON.stringify({ v: 1, id, serial: i + 1, verb: 'go', args: {}, from: 'operator', session });
    const leaf = wait(leafTopic, (p) => p.includes(`"id":"${id}"`));
    const up = wait(rootTopic, (p) => p.includes(`"id":"${id}"`) && p.includes('"state":"done"'));
    const t0 = performance.now();
    op.publish(`strata/chain/${ids[0]}/cmd`, payload, { qos: 1 });
    const tDown = await leaf;
    const tUp = await up;
    if (i >= WARMUP) {
      down.push(tDown - t0);
      rt.push(tUp - t0);
    }
  }
  await run.stop('bench over');
  await op.endAsync();
  return { down, round: rt };
}

export const bench: Benchmark = {
  name: 'chain',
  description: 'operator → root of a 4-level tree (real time) until the leaf answers, and the outcome back up; vs 4 raw mqtt.js relays',
  async run(ctx) {
    const broker = await startEmbeddedBroker({ anyPort: true });
    const raw = { down: [] as number[], round: [] as number[] };
    const st = { down: [] as number[], round: [] as number[] };
    // Interleaved, so load from others on a shared machine hits both alike.
    for (let r = 0; r < 2; r++) {
      const a = await rawChain(broker.url);
      const b = await strataChain(broker.url);
      raw.down.push(...a.down);
      raw.round.push(...a.round);
      st.down.push(...b.down);
      st.round.push(...b.round);
      ctx.log(`round ${r + 1}: down p50 raw ${round(percentile(a.down, 50), 3)} ms, strata ${round(percentile(b.down, 50), 3)} ms`);
    }
    await broker.close();
    return {
      samples: st.down.length,
      down_ms_p50: round(percentile(st.down, 50), 3),
      down_ms_p99: round(percentile(st.down, 99), 3),
      roundtrip_ms_p50: round(percentile(st.round, 50), 3),
      roundtrip_ms_p99: round(percentile(st.round, 99), 3),
      raw_down_ms_p50: round(percentile(raw.down, 50), 3),
      raw_roundtrip_ms_p50: round(percentile(raw.round, 50), 3),
      per_hop_ratio: round(percentile(st.down, 50) / percentile(raw.down, 50), 3),
      roundtrip_ratio: round(percentile(st.round, 50) / percentile(raw.round, 50), 3),
      target_per_hop_ratio: 1.3,
    };
  },
};
