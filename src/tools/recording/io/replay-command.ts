import { connectBroker, type BrokerFlags } from '../../../cli/connect.js';
import type { Logger } from '../../../log/logger.js';
import { formatCounts } from '../format-counts.js';
import { checkReplayOptions } from '../replay-plan.js';
import { checkRecordingFile } from './read-recording.js';
import { replayRecording } from './replay-recording.js';
import { stopSignal } from './stop-signal.js';

export interface ReplayFlags extends BrokerFlags {
  rate?: string;
  topicPrefix?: string;
  asTree?: string;
  only?: string[];
  verbose?: boolean;
}

/** `strata replay`: republishes a recording on a broker (the embedded one unless --broker). */
export async function replayCommand(file: string, flags: ReplayFlags, log: Logger, print: (line: string) => void): Promise<void> {
  const rate = flags.rate === undefined ? 1 : Number(flags.rate);
  checkReplayOptions({ rate, topicPrefix: flags.topicPrefix, asTree: flags.asTree });
  checkRecordingFile(file);
  const conn = await connectBroker(flags, log);
  const link = conn.link({ clientId: `strata-replay-${process.pid}-${Date.now().toString(36)}` });
  const stop = stopSignal();
  try {
    await link.connect();
    print(`replaying ${file} on ${conn.url}${conn.embedded ? ` (embedded; watch with: mosquitto_sub -h 127.0.0.1 -p ${conn.embedded.port} -t '#' -v)` : ''} at ${rate === 0 ? 'full speed' : `rate ${rate}`} (Ctrl-C to stop)`);
    const result = await replayRecording({
      file,
      rate,
      topicPrefix: flags.topicPrefix,
      asTree: flags.asTree,
      filters: flags.only,
      publish: (t, p, o) => link.publish(t, p, o),
      signal: stop.signal,
      onTruncated: (m) => print(`warning: ${m}`),
      onMessage: flags.verbose ? (t, p, due) => print(`${(due / 1000).toFixed(3).padStart(9)}s ${t} ${p.length > 100 ? `${p.slice(0, 100)}…` : p}`) : undefined,
    });
    print(`${result.stopped ? `stopped (${stop.reason()})` : 'done'}: republished ${result.messages} messages\n${formatCounts(result.counts)}`);
  } finally {
    stop.dispose();
    await link.end().catch(() => undefined);
    await conn.close();
  }
}
