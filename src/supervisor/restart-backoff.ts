/** How a supervisor spaces restarts of a process that keeps exiting. */
export interface BackoffPolicy {
  /** Delay before the first restart (ms). */
  initialMs: number;
  /** Delays double up to this (ms). */
  maxMs: number;
  /** A process that ran at least this long (ms) counts as healthy: the next restart is quick again. */
  stableMs: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 250, maxMs: 10_000, stableMs: 10_000 };

/**
 * The delay before restart number `attempt` (0 for the first restart after a healthy
 * run): exponential, capped, so a node that crashes at start-up does not spin.
 */
export function restartDelay(attempt: number, policy: BackoffPolicy = defaultBackoff): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt));
}

/** The restart attempt to use after a process that ran `ranMs` exited: 0 again after a healthy run. */
export function nextAttempt(previous: number, ranMs: number, policy: BackoffPolicy = defaultBackoff): number {
  return ranMs >= policy.stableMs ? 0 : previous;
}
