/** Cycle statistics kept by every node, as RCS's NML_MODULE does, and reported in `health`. */
export class CycleStats {
  cycles = 0;
  overruns = 0;
  missed = 0;
  rejected = 0;
  faults = 0;
  private execLast = 0;
  private execSum = 0;
  private execMax = 0;
  private lateLast = 0;
  private lateMax = 0;

  constructor(private readonly periodMs: number) {}

  /** Records one cycle's execution time (ms). */
  recordExec(ms: number): void {
    this.cycles++;
    this.execLast = ms;
    this.execSum += ms;
    if (ms > this.execMax) this.execMax = ms;
    if (this.periodMs > 0 && ms > this.periodMs) this.overruns++;
  }

  /** Records how late a periodic cycle started, and cycles skipped to catch up. */
  recordLate(ms: number, missed: number): void {
    this.lateLast = ms;
    if (ms > this.lateMax) this.lateMax = ms;
    this.missed += missed;
  }

  exec(): { last: number; mean: number; max: number } {
    const r = (x: number): number => Math.round(x * 1000) / 1000;
    return { last: r(this.execLast), mean: r(this.cycles ? this.execSum / this.cycles : 0), max: r(this.execMax) };
  }

  late(): { last: number; max: number } {
    const r = (x: number): number => Math.round(x * 1000) / 1000;
    return { last: r(this.lateLast), max: r(this.lateMax) };
  }
}
