import type { Clock, TimerHandle } from '../../src/time/clock.js';
import type { DeviceAdapter, DeviceFault } from './adapter.js';
import { GatewayCore, type CommandDecision, type GatewayCommand, type GatewaySense, type PlannedWrite, type SafeReason } from './gateway-core.js';
import type { GatewayParams } from './points.js';

export interface GatewayDriverOptions {
  params: GatewayParams;
  adapter: DeviceAdapter;
  clock: Pick<Clock, 'now' | 'setTimer'>;
  /** New input samples, ready to publish on `sense`. Omit to pull them with `core.takeSense` instead. */
  onSense?: (sense: GatewaySense) => void;
  /** Every device fault; `report` is true for the first of a run (publish it on `error`). */
  onFault?: (fault: DeviceFault, report: boolean) => void;
  /** A write finished (fault undefined = the device took it). */
  onWrite?: (write: PlannedWrite, fault: DeviceFault | undefined) => void;
  /** The watchdog put the outputs to safe. */
  onSafe?: (reason: SafeReason) => void;
}

/**
 * The gateway's device edge: runs a {@link GatewayCore} against a {@link DeviceAdapter}
 * on the tree's clock. It samples inputs at their rates, performs the writes the core
 * plans, and feeds results and device events back. A node-kind wrapper forwards
 * commands and broker events to it and publishes what it hands out.
 */
export class GatewayDriver {
  readonly core: GatewayCore;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private running = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly opts: GatewayDriverOptions) {
    this.core = new GatewayCore(opts.params);
  }

  get adapter(): DeviceAdapter {
    return this.opts.adapter;
  }

  /** Opens the device (first attempt; retries continue in the background) and starts the loop. */
  async start(): Promise<void> {
    const a = this.opts.adapter;
    this.running = true;
    this.unsubscribe.push(
      a.on('connect', () => {
        this.core.deviceConnected(this.opts.clock.now());
        this.kick();
      }),
      a.on('disconnect', () => {
        this.core.deviceDisconnected();
      }),
      a.on('fault', (f) => this.fault(f)),
    );
    await a.open();
    if (a.connected && !this.core.deviceConnectedNow) this.core.deviceConnected(this.opts.clock.now());
    this.kick();
  }

  /** Puts outputs to safe, waits for those writes (best effort), then closes the device. */
  async stop(): Promise<void> {
    this.core.safeAll('stop', this.opts.clock.now());
    const plan = this.core.tick(this.opts.clock.now());
    await Promise.all(plan.writes.map((w) => this.opts.adapter.write(w.point, w.raw)));
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    for (const u of this.unsubscribe.splice(0)) u();
    await this.opts.adapter.close();
  }

  /** The node is online with a new session (see {@link GatewayCore.birth}). */
  birth(): void {
    this.core.birth(this.opts.clock.now());
    this.kick();
  }

  /** The broker connection is gone: outputs to safe now. */
  brokerLost(): void {
    this.core.brokerLost(this.opts.clock.now());
    this.kick();
  }

  /** Every output to its safe value now (e.g. the parent aborted the write). */
  safeAll(reason: SafeReason): void {
    this.core.safeAll(reason, this.opts.clock.now());
    this.kick();
  }

  /** A `write` command; applied values are written at once (within the rate limit). */
  command(cmd: GatewayCommand): CommandDecision {
    const d = this.core.command(cmd, this.opts.clock.now());
    if (d.outcome === 'applied') this.kick();
    return d;
  }

  /** Runs the loop as soon as possible. */
  kick(): void {
    this.schedule(this.opts.clock.now());
  }

  private schedule(at: number): void {
    if (!this.running || !Number.isFinite(at)) return;
    if (this.timer && this.timerAt <= at) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.opts.clock.setTimer(Math.max(0, at - this.opts.clock.now()), () => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.run();
    });
  }

  private run(): void {
    if (!this.running) return;
    const { clock, adapter } = this.opts;
    const plan = this.core.tick(clock.now());
    if (plan.safed) this.opts.onSafe?.(plan.safed);
    for (const w of plan.writes) {
      void adapter.write(w.point, w.raw).then((fault) => {
        this.core.writeDone(w.point.name, fault, clock.now(), w.ticket);
        this.opts.onWrite?.(w, fault);
        this.kick();
      });
    }
    if (plan.reads.length > 0) {
      void adapter.read(plan.reads).then((results) => {
        const now = clock.now();
        for (const f of this.core.readDone(results, now)) this.fault(f);
        if (this.opts.onSense) {
          const s = this.core.takeSense(now);
          if (s) this.opts.onSense(s);
        }
        this.kick();
      });
    }
    this.schedule(plan.nextAt);
  }

  private fault(f: DeviceFault): void {
    const report = this.core.recordFault(f, this.opts.clock.now());
    this.opts.onFault?.(f, report);
  }
}
