import type { Json } from '../contracts/ids.js';
import type { TreeRun, RunEnd } from '../tree/tree-run.js';

/**
 * Watches a run for people: a progress line while it runs and a summary at the end.
 * Node kinds with more to say (the rover mission) add their own reporter.
 */
export interface RunReporter {
  /** Called once the run exists, before it starts: may schedule faults and suggest a time limit. */
  attach?(run: TreeRun): { durationMs?: number } | void;
  /** Every message the tree publishes, in order. */
  onMessage?(topic: string, payload: string, now: number): void;
  /** Short text for the progress line (e.g. `targets 2/5 battery 71%`). */
  progress?(now: number): string;
  /** Figures for the summary. */
  summary?(end: RunEnd, run: TreeRun): Record<string, Json>;
  /** Writes files (pictures, reports); returns what it wrote, for the user. */
  finish?(run: TreeRun, outDir: string): Promise<string[]>;
  /** Outcome in words ("success", or why it failed), when the reporter knows better than the root status. */
  outcome?(end: RunEnd, run: TreeRun): string | undefined;
}

/** Reports the root's command: its state, progress and current plan step. */
export function rootReporter(root: string): RunReporter {
  let last: { state: string; progress: number; reason: string; step?: string } | undefined;
  return {
    onMessage(topic, payload) {
      if (topic.endsWith(`/${root}/status`) && payload.length > 0) {
        const s = JSON.parse(payload) as { state: string; progress: number; reason: string; plan?: { steps: Array<{ label: string; state: string }> } };
        last = { state: s.state, progress: s.progress, reason: s.reason, step: s.plan?.steps.find((x) => x.state === 'active')?.label };
      }
    },
    progress() {
      if (!last) return `${root}: waiting`;
      return `${root}: ${last.state} ${Math.round(last.progress * 100)}%${last.step ? ` · ${last.step}` : ''}`;
    },
    summary(): Record<string, Json> {
      return last ? { root_state: last.state, root_progress: last.progress, root_reason: last.reason } : { root_state: 'none' };
    },
  };
}
