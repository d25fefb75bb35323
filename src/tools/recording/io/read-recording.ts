import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { McapStreamReader } from '@mcap/core';

/** One message of a recording, in file order. */
export interface RecordedMessage {
  topic: string;
  payload: Uint8Array;
  /** Log time, ns. */
  timeNs: bigint;
  /** The channel's metadata (qos, retain, channel kind for strata topics). */
  metadata: ReadonlyMap<string, string>;
}

/**
 * Reads an MCAP recording message by message, in the order they were written (the
 * order they arrived), streaming so large files need not fit in memory. A file cut
 * short (recorder killed) throws after its last whole message, unless `onTruncated`
 * is given.
 */
export async function* readRecording(file: string, options: { onTruncated?: (message: string) => void } = {}): AsyncGenerator<RecordedMessage> {
  const path = resolve(file);
  try {
    await access(path);
  } catch {
    throw new Error(`no recording at "${path}"; make one with: strata record --broker <url> -o ${file}`);
  }
  const reader = new McapStreamReader({ validateCrcs: true });
  const channels = new Map<number, { topic: string; metadata: ReadonlyMap<string, string> }>();
  let magicChecked = false;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    if (!magicChecked) {
      magicChecked = true;
      if (bytes.byteLength < 8 || bytes[0] !== 0x89 || bytes.toString('latin1', 1, 5) !== 'MCAP') throw new Error(`"${path}" is not an MCAP file (no MCAP magic at the start); give a file written by strata record or strata run --record`);
    }
    reader.append(bytes);
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
