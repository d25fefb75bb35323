import type { Target } from '../world/world.js';

/** What the sampler reports: a log line and, for a target, its name. */
export type SampleLog = (kind: 'sample_started' | 'target_sampled' | 'sample_failed', message: string, target?: string) => void;

/**
 * The science-sample action. A rising edge of the `sample` output starts a sample of the
 * nearest unsampled target within `radiusM`, if the rover stands still; it succeeds after
 * `durationS` of standing still with the output held on, and fails if the rover moves or
 * the output is released first.
 */
export class Sampler {
  private prev = false;
  private current: { target: string; startMs: number } | undefined;
  private ok = false;
  private readonly done = new Set<string>();

  constructor(
    private readonly radiusM: number,
    private readonly durationS: number,
    private readonly log: SampleLog,
  ) {}

  /** True while a sample is being taken. */
  get sampling(): boolean {
    return this.current !== undefined;
  }

  /** True if the last sample action succeeded. */
  get lastOk(): boolean {
    return this.ok;
  }

  /** Names of the sampled targets, in order. */
  get sampled(): string[] {
    return [...this.done];
  }

  update(nowMs: number, sample: boolean, stopped: boolean, x: number, y: number, targets: readonly Target[]): void {
    const rising = sample && !this.prev;
    this.prev = sample;
    const cur = this.current;
    if (cur) {
      if (!sample || !stopped) {
        this.ok = false;
        this.log('sample_failed', `sample of ${cur.target} aborted: ${sample ? 'the rover moved' : 'sample released'}`, cur.target);
        this.current = undefined;
      } else if (nowMs - cur.startMs >= this.durationS * 1000 - 1e-6) {
        this.done.add(cur.target);
        this.ok = true;
        this.log('target_sampled', `sampled target ${cur.target}`, cur.target);
        this.current = undefined;
      }
      return;
    }
    if (!rising) return;
    let best: string | undefined;
    let bestD = this.radiusM;
    for (const t of targets) {
      const d = Math.hypot(t.x - x, t.y - y);
      if (d <= bestD && !this.done.has(t.name)) {
        best = t.name;
        bestD = d;
      }
    }
    if (best === undefined) {
      this.ok = false;
      this.log('sample_failed', `sample failed: no unsampled target within ${this.radiusM} m`);
    } else if (!stopped) {
      this.ok = false;
      this.log('sample_failed', `sample of ${best} failed: the rover must stand still`, best);
    } else {
      this.current = { target: best, startMs: nowMs };
      this.log('sample_started', `sampling target ${best}`, best);
    }
  }
}
