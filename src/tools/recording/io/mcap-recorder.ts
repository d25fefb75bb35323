import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { McapWriter, type IWritable } from '@mcap/core';
import { jsonSchemaNamed } from '../../schema-export/json-schemas.js';
import { contractOfTopic } from '../../schema-export/channel-contracts.js';

/** Messages written so far, by topic. */
export type TopicCounts = Map<string, number>;

/**
 * Writes MQTT messages into an MCAP file (the format of ROS 2 bags and Foxglove): a
 * channel per topic, message encoding `json`, and for strata topics the JSON Schema of
 * the channel's contract (encoding `jsonschema`), so Foxglove decodes every field.
 */
export interface McapRecorder {
  readonly file: string;
  /** Queues one message; `timeNs` is its log time (ns since the epoch, or virtual ns). Never throws. */
  write(topic: string, payload: string | Uint8Array, timeNs: bigint): void;
  /** Messages queued so far, by topic. */
  counts(): TopicCounts;
  /** Writes the summary and closes the file; rejects with the first write error, if any. */
  close(): Promise<TopicCounts>;
}

export interface McapRecorderOptions {
  /** Free-form metadata stored in the file (tree, seed, source broker, …). */
  metadata?: Record<string, string>;
}

/** Appends to a file descriptor with synchronous writes, so queued records keep their order. */
function fileWritable(fd: number): IWritable {
  let position = 0n;
  return {
    position: () => position,
    write: async (buffer) => {
      let off = 0;
      while (off < buffer.byteLength) off += writeSync(fd, buffer, off, buffer.byteLength - off);
      position += BigInt(buffer.byteLength);
    },
  };
}

/**
 * Opens `file` for recording (throws at once, naming the file, if it cannot be
 * created). Writes are queued, so `write` can be called from synchronous callbacks
 * such as a run reporter's `onMessage`.
 */
export function createMcapRecorder(file: string, options: McapRecorderOptions = {}): McapRecorder {
  const path = resolve(file);
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new Error(`cannot create the recording "${path}": ${(err as Error).message}; check the folder exists and is writable, or choose another file with -o`);
  }
  const writer = new McapWriter({ writable: fileWritable(fd), useChunks: true, chunkSize: 256 * 1024 });
  const schemaIds = new Map<string, number>();
  const channelIds = new Map<string, Promise<number>>();
  const sequences = new Map<string, number>();
  const counts: TopicCounts = new Map();
  let failure: Error | undefined;
  let closed = false;
  let chain: Promise<unknown> = (async () => {
    await writer.start({ profile: '', library: 'strata' });
    if (options.metadata) await writer.addMetadata({ name: 'strata', metadata: new Map(Object.entries(options.metadata)) });
  })();
  const enqueue = (step: () => Promise<unknown>): void => {
    chain = chain.then(step).catch((err: Error) => {
      failure ??= new Error(`writing the recording "${path}" failed: ${err.message}`);
    });
  };

  const schemaFor = async (name: string): Promise<number> => {
    let id = schemaIds.get(name);
    if (id === undefined) {
      const data = new TextEncoder().encode(JSON.stringify(jsonSchemaNamed(name)));
      id = await writer.registerSchema({ name: `strata.${name}`, encoding: 'jsonschema', data });
      schemaIds.set(name, id);
    }
    return id;
  };
  const channelFor = (topic: string): Promise<number> => {
    let id = channelIds.get(topic);
    if (id === undefined) {
      const contract = contractOfTopic(topic);
      id = (async () => {
        const schemaId = contract ? await schemaFor(contract.schema) : 0;
        const metadata = new Map(contract ? [['qos', String(contract.qos)], ['retain', String(contract.retain)], ['channel', contract.channel]] : []);
        return writer.registerChannel({ topic, schemaId, messageEncoding: 'json', metadata });
      })();
      channelIds.set(topic, id);
    }
    return id;
  };

  return {
    file: path,
    write(topic, payload, timeNs) {
      if (closed) return;
      counts.set(topic, (counts.get(topic) ?? 0) + 1);
      const data = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
      const sequence = sequences.get(topic) ?? 0;
      sequences.set(topic, sequence + 1);
      enqueue(async () => writer.addMessage({ channelId: await channelFor(topic), sequence, logTime: timeNs, publishTime: timeNs, data }));
    },
    counts: () => new Map(counts),
    async close() {
      if (!closed) {
        closed = true;
        enqueue(() => writer.end());
        await chain;
        closeSync(fd);
      }
      if (failure) throw failure;
      return new Map(counts);
    },
  };
}

/** Milliseconds (a clock's `now`) as MCAP nanoseconds. */
export const msToNs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));
