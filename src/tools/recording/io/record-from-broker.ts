import type { MqttLink } from '../../../link/mqtt-link.js';
import { createMcapRecorder, type TopicCounts } from './mcap-recorder.js';

export interface RecordFromBrokerOptions {
  /** A link not yet connected; the recorder connects, subscribes and ends it. */
  link: MqttLink;
  file: string;
  /** MQTT filter to record (default `strata/#`). */
  filter?: string;
  /** Stops the recording (Ctrl-C, SIGTERM); the file is then closed cleanly. */
  signal: AbortSignal;
  metadata?: Record<string, string>;
  /** Each message as it is recorded. */
  onMessage?: (topic: string, payload: Buffer) => void;
  /** Called once subscribed, so callers know recording has begun. */
  onReady?: () => void;
}

/** Wall time in ns since the epoch, monotonic within the process. */
function wallClockNs(): () => bigint {
  const anchor = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  return () => anchor + process.hrtime.bigint();
}

/**
 * Records every message under `filter` into an MCAP file, stamped with its arrival
 * time, until the signal fires. Retained messages the broker hands over on subscribe
 * (births, statuses) are recorded first, so the file starts with the tree's state.
 */
export async function recordFromBroker(o: RecordFromBrokerOptions): Promise<TopicCounts> {
  const recorder = createMcapRecorder(o.file, { metadata: { filter: o.filter ?? 'strata/#', ...o.metadata } });
  const now = wallClockNs();
  try {
    o.link.onMessage((topic, payload) => {
      if (o.signal.aborted) return;
      recorder.write(topic, payload, now());
      o.onMessage?.(topic, payload);
    });
    await o.link.connect();
    await o.link.subscribe([{ topic: o.filter ?? 'strata/#', qos: 1 }]);
    o.onReady?.();
    if (!o.signal.aborted) await new Promise<void>((resolve) => o.signal.addEventListener('abort', () => resolve(), { once: true }));
  } finally {
    await o.link.end().catch(() => undefined);
  }
  return recorder.close();
}
