import type { Json } from '../../src/contracts/ids.js';
import type { DeviceFault, FaultKind } from './adapter.js';

/**
 * Device-fault bookkeeping for `health`: counts by kind, the last fault, and which
 * faults are worth an `error` message (the first of a run, not every repeat).
 */
export class FaultBook {
  private readonly counts = new Map<FaultKind, number>();
  private total = 0;
  private last: (DeviceFault & { t: number }) | undefined;
  /** Last fault kind reported per point ('' = the device as a whole). */
  private readonly open = new Map<string, FaultKind>();

  /** Counts a fault. Returns true when it starts a new run for its point (publish an `error`). */
  record(fault: DeviceFault, now: number): boolean {
    this.total++;
    this.counts.set(fault.fault, (this.counts.get(fault.fault) ?? 0) + 1);
    this.last = { ...fault, t: now };
    const key = fault.point ?? '';
    const report = this.open.get(key) !== fault.fault;
    this.open.set(key, fault.fault);
    return report;
  }

  /** A point (or, with no name, the device link) works again: its next fault is reported. */
  cleared(point?: string): void {
    this.open.delete(point ?? '');
  }

  count(kind?: FaultKind): number {
    return kind === undefined ? this.total : (this.counts.get(kind) ?? 0);
  }

  toJson(): Record<string, Json> {
    const byKind: Record<string, Json> = {};
    for (const [k, n] of this.counts) byKind[k] = n;
    return {
      total: this.total,
      by_kind: byKind,
      last: this.last ? { kind: this.last.fault, point: this.last.point ?? null, message: this.last.message, t: this.last.t } : null,
    };
  }
}
