import { checkReplayOptions, replayDueMs, replayPublishOptions, replayTopic, type ReplayPlanOptions } from '../replay-plan.js';
import type { TopicCounts } from './mcap-recorder.js';
import { readRecording } from './read-recording.js';

/** Publishes one message; resolves when the broker has it (QoS 1) or it was written (QoS 0). */
export type ReplayPublish = (topic: string, payload: string, opts: { qos: 0 | 1; retain: boolean }) => Promise<void>;

export interface ReplayOptions extends ReplayPlanOptions {
  file: string;
  publish: ReplayPublish;
  /** Stops the replay between messages (Ctrl-C). */
  signal?: AbortSignal;
  /** Each message as it is republished. */
  onMessage?: (topic: string, payload: string, dueMs: number) => void;
  /** A recording cut short is replayed up to the cut; this hears about it. */
  onTruncated?: (message: string) => void;
}

export interface ReplayResult {
  messages: number;
  counts: TopicCounts;
  /** True when the signal stopped it before the end. */
  stopped: boolean;
}

/** At most this many publishes in flight when replaying as fast as possible. */
const WINDOW = 256;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Republishes a recording in its order, with its timing relative to the first message
 * scaled by `rate` (0: as fast as possible), QoS and retained per the channel contract.
 * Timing is on the wall clock: a replay is for watching tools and people.
 */
export async function replayRecording(o: ReplayOptions): Promise<ReplayResult> {
  checkReplayOptions(o);
  const counts: TopicCounts = new Map();
  let first: bigint | undefined;
  let messages = 0;
  const start = performance.now();
  let inFlight: Array<Promise<void>> = [];
  let inFlightQos: 0 | 1 = 1;
  for await (const m of readRecording(o.file, { onTruncated: o.onTruncated })) {
    if (o.signal?.aborted) break;
    const target = replayTopic(m.topic, o);
    if (target === undefined) continue;
    first ??= m.timeNs;
    const due = replayDueMs(first, m.timeNs, o.rate);
    // Never early: node timers may fire a fraction of a millisecond before their time.
    for (let wait = due - (performance.now() - start); wait > 0 && !o.signal?.aborted; wait = due - (performance.now() - start)) await sleep(Math.ceil(wait), o.signal);
    if (o.signal?.aborted) break;
    const payload = Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength).toString('utf8');
    const opts = replayPublishOptions(m.topic);
    // MQTT orders messages only within one QoS level, and brokers do overtake: aedes
    // forwards a QoS 0 message before a QoS 1 one still being stored. Waiting for the
    // broker to have every earlier message when the QoS changes keeps the recorded order.
    if (inFlight.length >= WINDOW || (inFlight.length > 0 && opts.qos !== inFlightQos)) {
      await Promise.all(inFlight);
      inFlight = [];
    }
    inFlightQos = opts.qos;
    inFlight.push(o.publish(target, payload, opts));
    messages++;
    counts.set(target, (counts.get(target) ?? 0) + 1);
    o.onMessage?.(target, payload, due);
  }
  await Promise.all(inFlight);
  return { messages, counts, stopped: o.signal?.aborted ?? false };
}
