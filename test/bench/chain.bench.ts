import mqtt from 'mqtt';
import { builtinKinds } from '../../nodes/index.js';
import { startEmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { MqttLink } from '../../src/link/mqtt-link.js';
import { silentLogger } from '../../src/log/logger.js';
import type { AnyNodeKind } from '../../src/node/node-kind.js';
import { createRandom } from '../../src/time/random.js';
import { RealClock, wallStopwatch } from '../../src/time/real-clock.js';
import { TreeRun } from '../../src/tree/tree-run.js';
import { percentile, round, type Benchmark } from './benchmark.js';
import { relayKind } from './support/relay-kind.js';
import { Mosquitto } from '../support/mosquitto-broker.js';

const N = Number(process.env.STRATA_CHAIN_N ?? 250);
const ROUNDS = 4;
const WARMUP = 50;
const LEVELS = 4;

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

/**
 * Sends `n + WARMUP` commands from the operator client to `cmdTopic`, one at a time; times
 * each until the leaf's status names it (down) and until the root's says it is done
 * (round trip; `doneWord` is what a done status contains on that side).
 */
async function measure(
  op: mqtt.MqttClient,
  n: number,
  t: { cmd: string; leaf: string; root: string },
  session: number,
  doneWord: string,
): Promise<{ down: number[]; round: number[] }> {
  const wait = waiter(op);
  const down: number[] = [];
  const rt: number[] = [];
  for (let i = 0; i < n + WARMUP; i++) {
    const id = `c${i}`;
    const payload = JSON.stringify({ v: 1, id, serial: i + 1, verb: 'go', args: {}, from: 'operator', session });
    const leaf = wait(t.leaf, (p) => p.includes(`"id":"${id}"`));
    const up = wait(t.root, (p) => p.includes(`"id":"${id}"`) && p.includes(doneWord));
    const t0 = performance.now();
    op.publish(t.cmd, payload, { qos: 1 });
    const tDown = await leaf;
    const tUp = await up;
    if (i >= WARMUP) {
      down.push(tDown - t0);
      rt.push(tUp - t0);
    }
  }
  return { down, round: rt };
}

/** Raw mqtt.js, forward only: LEVELS clients pass the command down from their message handlers; the leaf answers and the answer is passed back up. */
export async function rawChain(url: string, n = N): Promise<{ down: number[]; round: number[] }> {
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
  // The leaf echoes the command as its answer: "done" is not in it, the id is.
  const r = await measure(op, n, { cmd: 'bench/chain/0/cmd', leaf: `bench/chain/${LEVELS - 1}/status`, root: 'bench/chain/0/status' }, 1, '"verb":"go"');
  await Promise.all([...relays, op].map((c) => c.endAsync()));
  return r;
}

/**
 * Raw mqtt.js speaking the same protocol as a strata relay, written by hand: each level
 * parses the command, forwards it to its child and publishes its own retained QoS 1
 * status to its parent (`executing`, then `done` when the child's status says done).
 * The same MQTT messages a strata tree sends, without the framework around them.
 */
export async function rawProtocolChain(url: string, n = N): Promise<{ down: number[]; round: number[] }> {
  const relays = await Promise.all(Array.from({ length: LEVELS }, () => client(url)));
  const statusOf = (node: number, c: { id: string; serial: number }, state: string): string =>
    JSON.stringify({ v: 1, node: `p${node}`, id: c.id, serial: c.serial, state, progress: state === 'done' ? 1 : 0, reason: '', t: Date.now() });
  for (let i = 0; i < LEVELS; i++) {
    const r = relays[i];
    const leaf = i === LEVELS - 1;
    await r.subscribeAsync({ [`bench/proto/${i}/cmd`]: { qos: 1 }, ...(leaf ? {} : { [`bench/proto/${i + 1}/status`]: { qos: 1 } }) });
    let current: { id: string; serial: number } | undefined;
    r.on('message', (t, p) => {
      if (p.length === 0) return; // a cleared retained status
      const msg = JSON.parse(p.toString()) as { id: string; serial: number; state?: string };
      if (t.endsWith('/cmd')) {
        current = { id: msg.id, serial: msg.serial };
        if (leaf) {
          r.publish(`bench/proto/${i}/status`, statusOf(i, current, 'done'), { qos: 1, retain: true });
          return;
        }
        r.publish(`bench/proto/${i + 1}/cmd`, JSON.stringify({ v: 1, id: msg.id, serial: msg.serial, verb: 'go', args: {}, from: `p${i}`, session: 1 }), { qos: 1 });
        r.publish(`bench/proto/${i}/status`, statusOf(i, current, 'executing'), { qos: 1, retain: true });
      } else if (current && msg.id === current.id && msg.state === 'done') {
        r.publish(`bench/proto/${i}/status`, statusOf(i, current, 'done'), { qos: 1, retain: true });
      }
    });
  }
  const op = await client(url);
  await op.subscribeAsync({ [`bench/proto/${LEVELS - 1}/status`]: { qos: 1 }, 'bench/proto/0/status': { qos: 1 } });
  const res = await measure(op, n, { cmd: 'bench/proto/0/cmd', leaf: `bench/proto/${LEVELS - 1}/status`, root: 'bench/proto/0/status' }, 1, '"state":"done"');
  await Promise.all(relays.map((r, i) => r.publishAsync(`bench/proto/${i}/status`, '', { qos: 1, retain: true })));
  await Promise.all([...relays, op].map((c) => c.endAsync()));
  return res;
}

/** The same path through a strata tree of relays in real time. */
export async function strataChain(url: string, n = N): Promise<{ down: number[]; round: number[] }> {
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
  const online = new Set<string>();
  const allOnline = new Promise<void>((resolve) =>
    op.on('message', (t, p) => {
      if (t.endsWith('/state') && p.length > 0 && JSON.parse(p.toString()).state === 'online') online.add(t);
      if (online.size === LEVELS) resolve();
    }),
  );
  await run.start();
  await allOnline;
  const res = await measure(op, n, { cmd: `strata/chain/${ids[0]}/cmd`, leaf: leafTopic, root: rootTopic }, session, '"state":"done"');
  await run.stop('bench over');
  await op.endAsync();
  return res;
}

type Samples = { down: number[]; round: number[] };

/** The three sides on one broker: a discarded warm-up round, then interleaved rounds. */
async function compare(url: string, label: string, log: (m: string) => void): Promise<{ forward: Samples; same: Samples; strata: Samples }> {
  const forward: Samples = { down: [], round: [] };
  const same: Samples = { down: [], round: [] };
  const st: Samples = { down: [], round: [] };
  // A discarded round first (the JIT warms up on every side), then interleaved rounds,
  // so load from others on a shared machine hits every side alike.
  await rawChain(url, 200);
  await rawProtocolChain(url, 200);
  await strataChain(url, 200);
  for (let r = 0; r < ROUNDS; r++) {
    const a = await rawChain(url);
    const b = await rawProtocolChain(url);
    const c = await strataChain(url);
    for (const [into, from] of [[forward, a], [same, b], [st, c]] as const) {
      into.down.push(...from.down);
      into.round.push(...from.round);
    }
    const p = (x: number[]): number => round(percentile(x, 50), 3);
    log(`${label} round ${r + 1}/${ROUNDS}: down p50 raw forward-only ${p(a.down)} ms, raw same messages ${p(b.down)} ms, strata ${p(c.down)} ms`);
  }
  return { forward, same, strata: st };
}

export const bench: Benchmark = {
  name: 'chain',
  description:
    'operator → root of a 4-level tree (real time) until the leaf answers, and the outcome back up; vs 4 raw mqtt.js relays sending the same messages, and vs relays that only forward; on the embedded broker, then on mosquitto',
  async run(ctx) {
    const broker = await startEmbeddedBroker({ anyPort: true });
    const { forward, same, strata: st } = await compare(broker.url, 'embedded', ctx.log);
    await broker.close();
    // The same on mosquitto, a broker in its own process: there the broker's work runs on
    // the other core, and the status messages stay off the down path.
    let mosq: Awaited<ReturnType<typeof compare>> | undefined;
    let own: Mosquitto | undefined;
    try {
      own = await Mosquitto.start({ conf: 'allow_anonymous true\nset_tcp_nodelay true', verbose: false });
      mosq = await compare(own.url, 'mosquitto', ctx.log);
    } catch (err) {
      ctx.log(`no mosquitto (${(err as Error).message}); the mosquitto_* figures are left out`);
    } finally {
      await own?.stop();
    }
    const p50 = (x: number[]): number => percentile(x, 50);
    return {
      samples: st.down.length,
      down_ms_p50: round(p50(st.down), 3),
      down_ms_p99: round(percentile(st.down, 99), 3),
      roundtrip_ms_p50: round(p50(st.round), 3),
      roundtrip_ms_p99: round(percentile(st.round, 99), 3),
      raw_down_ms_p50: round(p50(same.down), 3),
      raw_roundtrip_ms_p50: round(p50(same.round), 3),
      // The framework's cost: strata against the same MQTT messages (child command and
      // retained QoS 1 status per hop) sent by hand-written mqtt.js relays.
      per_hop_ratio: round(p50(st.down) / p50(same.down), 3),
      roundtrip_ratio: round(p50(st.round) / p50(same.round), 3),
      target_per_hop_ratio: 1.3,
      // The protocol's cost on top: relays that only forward the command (no status).
      forward_only_down_ms_p50: round(p50(forward.down), 3),
      per_hop_ratio_vs_forward_only: round(p50(st.down) / p50(forward.down), 3),
      protocol_ratio: round(p50(same.down) / p50(forward.down), 3),
      ...(mosq
        ? {
            mosquitto_down_ms_p50: round(p50(mosq.strata.down), 3),
            mosquitto_roundtrip_ms_p50: round(p50(mosq.strata.round), 3),
            mosquitto_raw_down_ms_p50: round(p50(mosq.same.down), 3),
            mosquitto_forward_only_down_ms_p50: round(p50(mosq.forward.down), 3),
            mosquitto_per_hop_ratio: round(p50(mosq.strata.down) / p50(mosq.same.down), 3),
            mosquitto_per_hop_ratio_vs_forward_only: round(p50(mosq.strata.down) / p50(mosq.forward.down), 3),
            mosquitto_protocol_ratio: round(p50(mosq.same.down) / p50(mosq.forward.down), 3),
            mosquitto_roundtrip_ratio: round(p50(mosq.strata.round) / p50(mosq.same.round), 3),
          }
        : {}),
    };
  },
};
