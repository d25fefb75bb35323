import type { RunReporter } from '../../cli/run-reporter.js';
import { createMcapRecorder, msToNs, type McapRecorder } from './io/mcap-recorder.js';

/**
 * A run reporter that records every message of `strata run` into an MCAP file, stamped
 * with the run's clock (virtual ms → ns), so a virtual-time run keeps its own timeline.
 * `finish` closes the file and returns its path. Wire it as
 * `if (opts.record) reporters.push(recordingReporter(opts.record))`.
 */
export function recordingReporter(file: string, metadata: Record<string, string> = {}): RunReporter & { recorder: McapRecorder } {
  const recorder = createMcapRecorder(file, { metadata: { source: 'strata run', ...metadata } });
  return {
    recorder,
    onMessage(topic, payload, now) {
      recorder.write(topic, payload, msToNs(now));
    },
    summary() {
      let n = 0;
      for (const c of recorder.counts().values()) n += c;
      return { recorded_messages: n };
    },
    async finish() {
      await recorder.close();
      return [recorder.file];
    },
  };
}
