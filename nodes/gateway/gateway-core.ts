import type { Json } from '../../src/contracts/ids.js';
import { isDeviceFault, type DeviceFault, type RawValue } from './adapter.js';
import { FaultBook } from './fault-book.js';
import { writeProblems, type GatewayParams, type GatewayPoint } from './points.js';
import { rawTypeProblem, sameValue, toEngineering, toRaw, type EngValue } from './scaling.js';
import { TokenBucket } from './token-bucket.js';

/** Why the outputs were put to their safe values. */
export type SafeReason = 'start' | 'watchdog' | 'broker-lost' | 'device-reconnect' | 'abort' | 'stop';

/** A `write` command as the gateway sees it. */
export interface GatewayCommand {
  readonly id: string;
  readonly serial: number;
  /** Clock time the command (this serial) reached the gateway: the task's `updatedAt`. */
  readonly receivedAt: number;
  /** Sender's clock time (`command.t`), if known; checked against the birth too. */
  readonly sentAt?: number;
  /** `args.values`: output name → engineering value. */
  readonly values: Readonly<Record<string, unknown>>;
}

export type CommandDecision =
  | { readonly outcome: 'applied'; readonly points: readonly string[] }
  /** Already seen (same id, serial not higher): nothing done, no status needed. */
  | { readonly outcome: 'duplicate' }
  /** From before the current birth, or while offline: never applied. */
  | { readonly outcome: 'stale'; readonly reason: string }
  /** Unknown point, wrong type or out of range: nothing of it is applied. */
  | { readonly outcome: 'rejected'; readonly reason: string; readonly problems: ReadonlyArray<{ point: string; reason: string }> };

export interface PlannedWrite {
  readonly point: GatewayPoint;
  readonly value: EngValue;
  readonly raw: RawValue;
  readonly cause: 'command' | 'safe';
  /** Hand it back to {@link GatewayCore.writeDone}: a result for an older write (before a reconnect) is ignored. */
  readonly ticket: number;
}

/** What to do now, from one {@link GatewayCore.tick}. */
export interface TickPlan {
  /** Writes to start now; report each back with {@link GatewayCore.writeDone}. */
  readonly writes: readonly PlannedWrite[];
  /** Inputs due for sampling; report back with {@link GatewayCore.readDone}. */
  readonly reads: readonly GatewayPoint[];
  /** Set when the watchdog expired in this tick. */
  readonly safed?: SafeReason;
  /** When to tick next at the latest (ms, clock time). */
  readonly nextAt: number;
}

export type Quality = 'good' | 'bad' | 'stale';

/** One sensation message: input values (null until first read) with a sequence number. */
export interface GatewaySense {
  readonly seq: number;
  readonly values: Record<string, Json>;
  readonly quality: Record<string, Quality>;
}

interface OutputState {
  readonly point: GatewayPoint;
  readonly bucket: TokenBucket;
  desired: EngValue;
  cause: 'command' | 'safe';
  /** Last value the device confirmed; undefined when unknown (start, reconnect, failed write). */
  written: EngValue | undefined;
  inFlight: EngValue | undefined;
  ticket: number;
  retryAt: number;
}

interface InputState {
  readonly point: GatewayPoint;
  readonly periodMs: number;
  nextDueAt: number | undefined;
  reading: boolean;
  value: EngValue | undefined;
  lastGoodAt: number | undefined;
  bad: boolean;
}

const MAX_REMEMBERED_IDS = 64;

/**
 * The gateway's pure logic, on explicit time. The edge (see `GatewayDriver`) calls it
 * from the device side (tick, readDone, writeDone, device events) and the node side
 * (birth, command, brokerLost, takeSense, health); it never does I/O or reads a clock.
 *
 * Safety rules it enforces:
 * - outputs start at their safe values, and return to them on watchdog expiry, broker
 *   loss and device reconnect; safe writes bypass the rate limit;
 * - a command is applied at most once (id + serial), only when it arrived after the
 *   current birth; an out-of-range or mistyped value rejects the whole command;
 * - command writes are rate-limited per output (token bucket); the newest value wins.
 */
export class GatewayCore {
  readonly points: readonly GatewayPoint[];
  private readonly outputs = new Map<string, OutputState>();
  private readonly inputs = new Map<string, InputState>();
  private readonly faults = new FaultBook();
  private readonly seenSerials = new Map<string, number>();
  private birthAt: number | undefined;
  private lastCommandAt = 0;
  private safe: { reason: SafeReason; at: number } | undefined;
  private deviceUp = false;
  private everConnected = false;
  private seq = 0;
  private tickets = 0;
  private fresh = false;
  private readonly counters = { applied: 0, rejected: 0, stale: 0, duplicate: 0, watchdog: 0, rate_limited: 0 };

  constructor(private readonly params: GatewayParams) {
    this.points = params.points;
    for (const p of params.points) {
      if (p.direction === 'out') {
        this.outputs.set(p.name, {
          point: p,
          bucket: new TokenBucket(params.max_write_hz, params.write_burst),
          desired: p.safe as EngValue,
          cause: 'safe',
          written: undefined,
          inFlight: undefined,
          ticket: 0,
          retryAt: -Infinity,
        });
      } else {
        this.inputs.set(p.name, { point: p, periodMs: 1000 / (p.rate_hz ?? params.default_rate_hz), nextDueAt: undefined, reading: false, value: undefined, lastGoodAt: undefined, bad: false });
      }
    }
    this.safe = { reason: 'start', at: 0 };
  }

  /**
   * The node is online with a new session (first connect, or after a broker outage).
   * Commands that reached the gateway before `now` are stale from here on; the sense
   * sequence restarts at 0; the watchdog counts from now.
   */
  birth(now: number): void {
    this.birthAt = now;
    this.lastCommandAt = now;
    this.seq = 0;
  }

  /** A rebirth on request: the same session, so commands stay valid; only the sequence restarts. */
  rebirth(): void {
    this.seq = 0;
  }

  /** The broker connection is gone: every output to safe, and no command is taken until the next birth. */
  brokerLost(now: number): void {
    this.birthAt = undefined;
    this.safeAll('broker-lost', now);
  }

  /** Puts every output to its safe value (also for a clean stop). */
  safeAll(reason: SafeReason, now: number): void {
    this.safe = { reason, at: now };
    for (const o of this.outputs.values()) {
      o.desired = o.point.safe as EngValue;
      o.cause = 'safe';
      o.retryAt = -Infinity;
    }
  }

  /** Decides on a `write` command; call it every cycle with the current task if convenient (duplicates are no-ops). */
  command(cmd: GatewayCommand, now: number): CommandDecision {
    const seen = this.seenSerials.get(cmd.id);
    if (seen !== undefined && cmd.serial <= seen) {
      this.counters.duplicate++;
      return { outcome: 'duplicate' };
    }
    this.remember(cmd.id, cmd.serial);
    if (this.birthAt === undefined) {
      this.counters.stale++;
      return { outcome: 'stale', reason: `command "${cmd.id}" (serial ${cmd.serial}) came while the gateway was offline; it is not applied. Send a fresh command after the gateway's birth` };
    }
    const sentTooEarly = cmd.sentAt !== undefined && cmd.sentAt < this.birthAt - this.params.stale_tolerance_ms;
    if (cmd.receivedAt < this.birthAt || sentTooEarly) {
      this.counters.stale++;
      const when = sentTooEarly ? `was sent at ${cmd.sentAt}` : `arrived at ${cmd.receivedAt}`;
      return { outcome: 'stale', reason: `command "${cmd.id}" (serial ${cmd.serial}) ${when}, before the gateway's birth at ${this.birthAt}; stale commands are never replayed. Send a fresh command` };
    }
    const problems = writeProblems(this.points, cmd.values);
    if (problems.length > 0) {
      this.counters.rejected++;
      return { outcome: 'rejected', reason: problems.map((p) => p.reason).join('; '), problems };
    }
    this.counters.applied++;
    this.lastCommandAt = now;
    this.safe = undefined;
    for (const [name, value] of Object.entries(cmd.values)) {
      const o = this.outputs.get(name) as OutputState;
      o.desired = value as EngValue;
      o.cause = 'command';
    }
    return { outcome: 'applied', points: Object.keys(cmd.values) };
  }

  /** Runs the watchdog and plans the writes and reads due at `now`. */
  tick(now: number): TickPlan {
    let safed: SafeReason | undefined;
    const wd = this.params.watchdog_ms;
    if (wd > 0 && this.safe === undefined && now - this.lastCommandAt >= wd) {
      this.counters.watchdog++;
      this.safeAll('watchdog', now);
      safed = 'watchdog';
    }
    let nextAt = Infinity;
    if (wd > 0 && this.safe === undefined) nextAt = this.lastCommandAt + wd;
    const writes: PlannedWrite[] = [];
    for (const o of this.outputs.values()) {
      if (o.inFlight !== undefined || !this.deviceUp || sameValue(o.desired, o.written)) continue;
      if (now < o.retryAt) {
        nextAt = Math.min(nextAt, o.retryAt);
        continue;
      }
      if (o.cause === 'command' && !o.bucket.take(now)) {
        this.counters.rate_limited++;
        nextAt = Math.min(nextAt, o.bucket.readyAt(now));
        continue;
      }
      o.inFlight = o.desired;
      o.ticket = ++this.tickets;
      writes.push({ point: o.point, value: o.desired, raw: toRaw(o.point, o.desired), cause: o.cause, ticket: o.ticket });
    }
    const reads: GatewayPoint[] = [];
    for (const i of this.inputs.values()) {
      if (i.nextDueAt === undefined) i.nextDueAt = now;
      if (now >= i.nextDueAt) {
        if (this.deviceUp && !i.reading) {
          i.reading = true;
          reads.push(i.point);
        }
        i.nextDueAt += i.periodMs;
        if (i.nextDueAt <= now) i.nextDueAt = now + i.periodMs;
      }
      nextAt = Math.min(nextAt, i.nextDueAt);
    }
    return safed ? { writes, reads, safed, nextAt } : { writes, reads, nextAt };
  }

  /** A planned write finished: `fault` undefined means the device took it. */
  writeDone(point: string, fault: DeviceFault | undefined, now: number, ticket?: number): void {
    const o = this.outputs.get(point);
    if (!o || o.inFlight === undefined || (ticket !== undefined && ticket !== o.ticket)) return;
    if (fault) {
      o.written = undefined;
      o.retryAt = now + this.params.reconnect_min_ms;
    } else {
      o.written = o.inFlight;
      this.faults.cleared(point);
    }
    o.inFlight = undefined;
  }

  /** Planned reads finished: raw values or faults, by point name. */
  readDone(results: Readonly<Record<string, RawValue | DeviceFault>>, now: number): DeviceFault[] {
    const parseFaults: DeviceFault[] = [];
    for (const [name, r] of Object.entries(results)) {
      const i = this.inputs.get(name);
      if (!i) continue;
      i.reading = false;
      if (isDeviceFault(r)) {
        i.bad = true;
        continue;
      }
      const why = rawTypeProblem(i.point, r);
      if (why) {
        i.bad = true;
        parseFaults.push({ fault: 'parse', point: name, message: why });
        continue;
      }
      i.value = toEngineering(i.point, r);
      i.lastGoodAt = now;
      i.bad = false;
      this.faults.cleared(name);
      this.fresh = true;
    }
    return parseFaults;
  }

  /** The device link is up. After a loss, outputs go to safe and wait for a fresh command. */
  deviceConnected(now: number): void {
    if (this.everConnected && !this.deviceUp) this.safeAll('device-reconnect', now);
    this.deviceUp = true;
    this.everConnected = true;
    this.faults.cleared();
    for (const o of this.outputs.values()) o.written = undefined;
    // Sample at once, so inputs turn good again without waiting out a period.
    for (const i of this.inputs.values()) i.nextDueAt = now;
  }

  /** The device link is down: inputs turn bad, outputs unknown; reads and writes wait for the reconnect. */
  deviceDisconnected(): void {
    this.deviceUp = false;
    for (const i of this.inputs.values()) {
      i.bad = true;
      i.reading = false;
    }
    for (const o of this.outputs.values()) {
      o.written = undefined;
      o.inFlight = undefined;
    }
  }

  /** Counts a device fault. Returns true if it starts a new run (publish it on `error`). */
  recordFault(fault: DeviceFault, now: number): boolean {
    return this.faults.record(fault, now);
  }

  /** The next sensation, if new samples came in since the last one. */
  takeSense(now: number): GatewaySense | undefined {
    if (!this.fresh) return undefined;
    this.fresh = false;
    const values: Record<string, Json> = {};
    for (const [name, i] of this.inputs) values[name] = (i.value ?? null) as Json;
    return { seq: this.seq++, values, quality: this.quality(now) };
  }

  quality(now: number): Record<string, Quality> {
    const q: Record<string, Quality> = {};
    for (const [name, i] of this.inputs) {
      if (i.bad || !this.deviceUp) q[name] = 'bad';
      else if (i.lastGoodAt === undefined || now - i.lastGoodAt > this.params.stale_periods * i.periodMs) q[name] = 'stale';
      else q[name] = 'good';
    }
    return q;
  }

  /** Output name → the value the gateway wants on the device now. */
  desiredOutputs(): Record<string, EngValue> {
    const out: Record<string, EngValue> = {};
    for (const [name, o] of this.outputs) out[name] = o.desired;
    return out;
  }

  /** Why outputs are at their safe values now, or undefined while a command holds them. */
  safeReason(): SafeReason | undefined {
    return this.safe?.reason;
  }

  get online(): boolean {
    return this.birthAt !== undefined;
  }

  get deviceConnectedNow(): boolean {
    return this.deviceUp;
  }

  /** Figures for `health.detail`. */
  health(now: number): Record<string, Json> {
    const outputs: Record<string, Json> = {};
    for (const [name, o] of this.outputs) outputs[name] = { desired: o.desired as Json, written: (o.written ?? null) as Json, cause: o.cause };
    return {
      device: this.deviceUp ? 'connected' : 'disconnected',
      safe: this.safe ? this.safe.reason : null,
      last_command_age_ms: this.birthAt === undefined ? null : now - this.lastCommandAt,
      commands: { ...this.counters },
      faults: this.faults.toJson(),
      quality: this.quality(now),
      outputs,
    };
  }

  private remember(id: string, serial: number): void {
    this.seenSerials.delete(id);
    this.seenSerials.set(id, serial);
    if (this.seenSerials.size > MAX_REMEMBERED_IDS) this.seenSerials.delete(this.seenSerials.keys().next().value as string);
  }
}
