import mqtt from 'mqtt';
import { startEmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { MqttLink } from '../../src/link/mqtt-link.js';
import { silentLogger } from '../../src/log/logger.js';
import { NodeRuntime } from '../../src/node/node-runtime.js';
import { createRandom } from '../../src/time/random.js';
import { RealClock, wallStopwatch } from '../../src/time/real-clock.js';
import { percentile, round, type Benchmark } from './benchmark.js';
import { relayKind } from './support/relay-kind.js';
import { workerKind } from '../../nodes/worker/worker.js';
import type { AnyNodeKind } from '../../src/node/node-kind.js';

const N = 3000;
const WARMUP = 300;

/** Raw mqtt.js: A publishes, B answers from its message handler, A times the round trip. */
async function rawRtt(url: string): Promise<number[]> {
  const a = await mqtt.connectAsync(url, { protocolVersion: 4 });
  const b = await mqtt.connectAsync(url, { protocolVersion: 4 });
  await a.subscribeAsync('bench/raw/pong', { qos: 1 });
  await b.subscribeAsync('bench/raw/ping', { qos: 1 });
  for (const c of [a, b]) (c.stream as unknown as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
  b.on('message', (_t, payload) => b.publish('bench/raw/pong', payload, { qos: 1 }));
  const times: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      a.once('message', () => resolve());
      a.publish('bench/raw/ping', JSON.stringify({ v: 1, id: `c${i}`, serial: i + 1, verb: 'go', args: {}, from: 'parent', session: 1 }), { qos: 1 });
    });
    if (i >= WARMUP) times.push((performance.now() - t0) * 1000);
  }
  await a.endAsync();
  await b.endAsync();
  return times;
}

/** A parent's command to a strata node and the node's first status back. */
async function hopRtt(url: string, kind: AnyNodeKind, verb: string, args: Record<string, unknown>): Promise<number[]> {
  const clock = new RealClock();
  const child = new NodeRuntime({
    tree: 'bench',
    spec: { id: 'child', kind: kind.kind, parent: 'parent', children: [], siblings: [], level: 0, periodMs: 1000, horizonMs: 10_000, replanMs: 1000, parentPeriodMs: 1000, heartbeatMs: 1000, params: {}, baseDir: '.' },
    kind,
    clock,
    random: createRandom(1),
    log: silentLogger,
    link: ({ clientId, will }) => new MqttLink({ clientId, will, endpoint: { url } }),
    session: 1,
    stopwatch: wallStopwatch,
  });
  await child.start();
  const parent = new MqttLink({ clientId: 'bench-parent', endpoint: { url } });
  await parent.connect();
  await parent.subscribe([{ topic: 'strata/bench/child/status', qos: 1 }]);
  let waiting: { id: string; resolve: () => void } | undefined;
  parent.onMessage((_t, payload) => {
    if (!waiting) return;
    const s = JSON.parse(payload.toString()) as { id: string };
    if (s.id === waiting.id) {
      const w = waiting;
      waiting = undefined;
      w.resolve();
    }
  });
  const times: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const id = `c${i}`;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      waiting = { id, resolve };
      void parent.publish('strata/bench/child/cmd', JSON.stringify({ v: 1, id, serial: i + 1, verb, args, from: 'parent', session: 1 }), { qos: 1 });
    });
    if (i >= WARMUP) times.push((performance.now() - t0) * 1000);
  }
  await parent.end();
  await child.stop();
  return times;
}

export const bench: Benchmark = {
  name: 'hop',
  description: 'parent → child command and the first status back, vs a raw mqtt.js round trip (embedded broker, TCP)',
  async run(ctx) {
    const broker = await startEmbeddedBroker({ anyPort: true });
    // Interleave the two measurements so drift on a noisy machine hits both alike.
    // The hop's node is a leaf that is done at once and sends nothing else, so the figure is
    // the runtime's cost; the worker kind also reports a changed sensation (jobs_done) before
    // its status, one more message per command, shown beside it.
    const raw: number[] = [];
    const hop: number[] = [];
    const worker: number[] = [];
    for (let round_ = 0; round_ < 2; round_++) {
      raw.push(...(await rawRtt(broker.url)));
      hop.push(...(await hopRtt(broker.url, relayKind as unknown as AnyNodeKind, 'go', {})));
      worker.push(...(await hopRtt(broker.url, workerKind as unknown as AnyNodeKind, 'work', { seconds: 0 })));
      ctx.log(`round ${round_ + 1}: raw p50 ${round(percentile(raw, 50), 1)} µs, hop p50 ${round(percentile(hop, 50), 1)} µs, worker hop p50 ${round(percentile(worker, 50), 1)} µs`);
    }
    await broker.close();
    const rawP50 = percentile(raw, 50);
    const hopP50 = percentile(hop, 50);
    return {
      samples: raw.length,
      raw_rtt_us_p50: round(rawP50, 1),
      raw_rtt_us_p99: round(percentile(raw, 99), 1),
      hop_rtt_us_p50: round(hopP50, 1),
      hop_rtt_us_p99: round(percentile(hop, 99), 1),
      ratio: round(hopP50 / rawP50, 3),
      target_ratio: 1.3,
      worker_hop_rtt_us_p50: round(percentile(worker, 50), 1),
      worker_ratio: round(percentile(worker, 50) / rawP50, 3),
    };
  },
};
