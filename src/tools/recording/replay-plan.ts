import { UsageError } from '../client-options.js';
import { contractOfTopic } from '../schema-export/channel-contracts.js';
import { topicMatches } from '../../wire/topics.js';

/** How a recording is republished. */
export interface ReplayPlanOptions {
  /** 1 = original timing, 2 = twice as fast, 0 = as fast as possible. */
  rate: number;
  /** Prepended to every topic (e.g. `replay/`), so a replay does not mix with a live tree. */
  topicPrefix?: string;
  /** Republish a strata tree under another id (the second topic level). */
  asTree?: string;
  /** Only topics matching these MQTT filters (default: all). */
  filters?: readonly string[];
}

/** Checks replay options, with an error that says what to give instead. */
export function checkReplayOptions(o: ReplayPlanOptions): void {
  if (!Number.isFinite(o.rate) || o.rate < 0) throw new UsageError(`--rate ${o.rate} is not a rate; give 1 (original timing), 2 (twice as fast), 0.5, or 0 (as fast as possible)`);
  if (o.asTree !== undefined && !/^[A-Za-z0-9_-]+$/.test(o.asTree)) throw new UsageError(`--as-tree "${o.asTree}" is not a tree id; use only letters, digits, "_" and "-"`);
  if (o.topicPrefix !== undefined && /[+#]/.test(o.topicPrefix)) throw new UsageError(`--topic-prefix "${o.topicPrefix}" contains a wildcard (+ or #); give a plain topic prefix such as replay/`);
}

/** Wall milliseconds after the replay's start at which a message recorded at `timeNs` is due. */
export function replayDueMs(firstNs: bigint, timeNs: bigint, rate: number): number {
  if (rate === 0) return 0;
  const offsetMs = Number(timeNs - firstNs) / 1e6;
  return Math.max(0, offsetMs / rate);
}

/** The topic to republish on, or undefined when the filters leave it out. */
export function replayTopic(topic: string, o: ReplayPlanOptions): string | undefined {
  if (o.filters && o.filters.length > 0 && !o.filters.some((f) => topicMatches(f, topic))) return undefined;
  let t = topic;
  if (o.asTree !== undefined) {
    const parts = t.split('/');
    if (parts[0] === 'strata' && parts.length >= 3) {
      parts[1] = o.asTree;
      t = parts.join('/');
    }
  }
  return `${o.topicPrefix ?? ''}${t}`;
}

/** QoS and retained flag per the channel's contract (status and state retained); other topics QoS 1, not retained. */
export function replayPublishOptions(topic: string): { qos: 0 | 1; retain: boolean } {
  const c = contractOfTopic(topic);
  return c ? { qos: c.qos, retain: c.retain } : { qos: 1, retain: false };
}
