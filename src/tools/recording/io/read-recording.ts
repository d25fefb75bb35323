import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { McapStreamReader } from '@mcap/core';
import { UsageError } from '../../client-options.js';

/** One message of a recording, in file order. */
export interface RecordedMessage {
  topic: string;
  payload: Uint8Array;
  /** Log time, ns. */
  timeNs: bigint;
  /** The channel's metadata (qos, retain, channel kind for strata topics). */
  metadata: ReadonlyMap<string, string>;
}

/** Throws, saying what to give instead, unless `file` exists and starts like an MCAP file. */
export function checkRecordingFile(file: string): void {
  const path = resolve(file);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new UsageError(`no recording at "${path}"; make one with: strata record --broker <url> -o ${file}`);
  }
  const head = Buffer.alloc(8);
  const n = readSync(fd, head, 0, 8, 0);
  closeSync(fd);
  if (n < 8 || head[0] !== 0x89 || head.toString('latin1', 1, 5) !== 'MCAP') {
    throw new UsageError(`"${path}" is not an MCAP file (no MCAP magic at the start); give a file written by strata record or strata run --record`);
  }
}

/**
 * Reads an MCAP recording message by message, in the order they were written (the
 * order they arrived), streaming so large files need not fit in memory. A file cut
 * short (recorder killed) throws after its last whole message, unless `onTruncated`
 * is given.
 */
export async function* readRecording(file: string, options: { onTruncated?: (message: string) => void } = {}): AsyncGenerator<RecordedMessage> {
  const path = resolve(file);
  checkRecordingFile(path);
  const reader = new McapStreamReader({ validateCrcs: true });
  const channels = new Map<number, { topic: string; metadata: ReadonlyMap<string, string> }>();
  for await (const chunk of createReadStream(path)) {
    reader.append(chunk as Buffer);
    for (let rec; (rec = reader.nextRecord()); ) {
      if (rec.type === 'Channel') channels.set(rec.id, { topic: rec.topic, metadata: rec.metadata });
      else if (rec.type === 'Message') {
        const ch = channels.get(rec.channelId);
        if (!ch) throw new Error(`"${path}" is damaged: a message refers to channel ${rec.channelId}, which is never defined`);
        yield { topic: ch.topic, payload: rec.data, timeNs: rec.logTime, metadata: ch.metadata };
      }
    }
  }
  if (!reader.done()) {
    const message = `"${path}" ends early (the recorder did not close it: killed?); the messages before the cut were read`;
    if (options.onTruncated) options.onTruncated(message);
    else throw new Error(message);
  }
}
