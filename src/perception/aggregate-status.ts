import type { CommandState } from '../contracts/status.js';

/** One child's part in the node's task. */
export interface ChildStatus {
  readonly id: string;
  /** `sent` when the command went out but no status came back yet. */
  readonly state: CommandState | 'sent';
  readonly progress?: number;
  readonly reason?: string;
  /** Share of the whole task (default 1). */
  readonly weight?: number;
}

export interface AggregateStatus {
  readonly state: 'executing' | 'done' | 'failed';
  /** Weighted mean of the children's progress (done counts as 1). */
  readonly progress: number;
  readonly reason: string;
}

/**
 * Folds children's statuses into the node's own. `all` (default): the task is done when
 * every child is done and fails as soon as one fails (worst-of: aborted and rejected count as
 * failures). `any`: redundant children, done when one is done, failed only when all failed.
 */
export function aggregateStatus(children: readonly ChildStatus[], mode: 'all' | 'any' = 'all'): AggregateStatus {
  if (children.length === 0) return { state: 'done', progress: 1, reason: 'no children to wait for' };
  let wsum = 0;
  let psum = 0;
  for (const c of children) {
    const w = c.weight ?? 1;
    wsum += w;
    psum += w * (c.state === 'done' ? 1 : Math.min(1, Math.max(0, c.progress ?? 0)));
  }
  const progress = wsum > 0 ? psum / wsum : 0;
  const bad = children.filter((c) => c.state === 'failed' || c.state === 'aborted' || c.state === 'rejected');
  const done = children.filter((c) => c.state === 'done');
  const text = (c: ChildStatus): string => `${c.id} ${c.state}${c.reason ? `: ${c.reason}` : ''}`;
  if (mode === 'all') {
    if (bad.length > 0) return { state: 'failed', progress, reason: bad.map(text).join('; ') };
    if (done.length === children.length) return { state: 'done', progress: 1, reason: `all ${children.length} children done` };
    const waiting = children.filter((c) => c.state !== 'done').map((c) => c.id);
    return { state: 'executing', progress, reason: `waiting for ${waiting.join(', ')}` };
  }
  if (done.length > 0) return { state: 'done', progress: 1, reason: `${done[0].id} done` };
  if (bad.length === children.length) return { state: 'failed', progress, reason: bad.map(text).join('; ') };
  const best = Math.max(...children.filter((c) => !bad.includes(c)).map((c) => Math.min(1, Math.max(0, c.progress ?? 0))));
  return { state: 'executing', progress: best, reason: `${children.length - bad.length} of ${children.length} children still trying` };
}
