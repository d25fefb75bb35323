import { parseDuration } from '../../../config/duration.js';
import { connectBroker, type BrokerFlags } from '../../../cli/connect.js';
import type { Logger } from '../../../log/logger.js';
import { UsageError, checkTreeId, requireBroker } from '../../client-options.js';
import { parseTopic } from '../../../wire/topics.js';
import { summarize } from '../../inspect/tail-format.js';
import { formatCounts } from '../format-counts.js';
import { recordFromBroker } from './record-from-broker.js';
import { stopSignal } from './stop-signal.js';

export interface RecordFlags extends BrokerFlags {
  output?: string;
  tree?: string;
  duration?: string;
  verbose?: boolean;
}

/** `strata record`: records a live tree into an MCAP file until Ctrl-C, SIGTERM or --duration. */
export async function recordCommand(flags: RecordFlags, log: Logger, print: (line: string) => void): Promise<void> {
  const url = requireBroker(flags);
  if (!flags.output) throw new UsageError('needs -o <file.mcap>: where to write the recording');
  checkTreeId(flags.tree);
  const durationMs = flags.duration !== undefined ? parseDuration(flags.duration) : undefined;
  if (flags.duration !== undefined && durationMs === undefined) throw new UsageError(`--duration "${flags.duration}" is not a duration; e.g. 30s or 10min`);
  const filter = flags.tree ? `strata/${flags.tree}/#` : 'strata/#';
  const conn = await connectBroker(flags, log);
  const link = conn.link({ clientId: `strata-record-${process.pid}-${Date.now().toString(36)}` });
  const stop = stopSignal(durationMs);
  try {
    const counts = await recordFromBroker({
      link,
      file: flags.output,
      filter,
      signal: stop.signal,
      metadata: { broker: url },
      onMessage: flags.verbose ? (topic, payload) => print(`${topic} ${summarize(parseTopic(topic)?.channel ?? '', payload.toString('utf8'))}`) : undefined,
      onReady: () => print(`recording ${filter} from ${url} into ${flags.output} (Ctrl-C to stop)`),
    });
    print(`stopped (${stop.reason() || 'done'}); wrote ${flags.output}\n${formatCounts(counts)}`);
  } finally {
    stop.dispose();
    await conn.close();
  }
}
