import type { Clock, TimerHandle } from '../../../../src/time/clock.js';
import { deviceFault, type DeviceFault, type RawValue } from '../../adapter.js';
import type { GatewayPoint } from '../../points.js';
import { ReconnectingAdapter, type ReconnectOptions } from '../reconnecting-adapter.js';
import { deviceModels, type DeviceModel, type DeviceState } from './device-models.js';

export interface SimulatedAdapterOptions extends ReconnectOptions {
  points: readonly GatewayPoint[];
  model?: keyof typeof deviceModels | DeviceModel;
  stepMs?: number;
  /** Model role → point name. */
  bind?: Record<string, string>;
  /** How long a read or write takes to time out while timeouts are injected. */
  timeoutMs?: number;
  /** Steps the dynamics and runs timeouts and reconnects: a VirtualClock in tests. */
  clock: Pick<Clock, 'setTimer'>;
}

function initial(p: GatewayPoint): RawValue {
  if (p.direction === 'out' && p.safe !== undefined) return p.type === 'number' && typeof p.safe === 'number' ? (p.safe - p.offset) / p.scale : p.safe;
  return p.type === 'bool' ? false : p.type === 'enum' ? (p.values?.[0] ?? '') : p.type === 'number[]' ? [] : 0;
}

/**
 * An in-memory device with dynamics stepped on the injected clock, for demos and tests.
 * Faults are injected by hand: {@link unplug} / {@link plugIn} (the link drops and comes
 * back through the same backoff as a real bus), {@link injectTimeouts} (points stop answering).
 */
export class SimulatedAdapter extends ReconnectingAdapter {
  /** The device's memory (raw values); tests may read and set it. */
  readonly state: DeviceState = {};
  private readonly model: DeviceModel;
  private readonly stepMs: number;
  private plugged = true;
  private stepper: TimerHandle | undefined;
  private readonly timingOut = new Set<string>();
  /** Writes the device took, in order (for tests and demos). */
  readonly writes: Array<{ point: string; raw: RawValue }> = [];

  constructor(private readonly opts: SimulatedAdapterOptions) {
    super(opts);
    for (const p of opts.points) this.state[p.name] = initial(p);
    this.model = typeof opts.model === 'function' ? opts.model : deviceModels[opts.model ?? 'echo'];
    this.stepMs = opts.stepMs ?? 10;
  }

  override async open(): Promise<void> {
    await super.open();
    this.scheduleStep();
  }

  async close(): Promise<void> {
    this.reconnector.stop();
    this.stepper?.cancel();
    this.stepper = undefined;
    this.up = false;
  }

  async read(points: readonly GatewayPoint[]): Promise<Record<string, RawValue | DeviceFault>> {
    const out: Record<string, RawValue | DeviceFault> = {};
    const slow = points.filter((p) => this.timingOut.has(p.name) || this.timingOut.has('*'));
    if (slow.length > 0) await this.wait(this.opts.timeoutMs ?? 250);
    for (const p of points) {
      if (!this.up) out[p.name] = this.report(deviceFault('disconnect', 'the simulated device is unplugged', p.name));
      else if (slow.includes(p)) {
        out[p.name] = this.report(deviceFault('timeout', `simulated timeout reading "${p.name}"`, p.name));
        this.unanswered();
      } else {
        out[p.name] = this.state[p.name];
        this.answered();
      }
    }
    return out;
  }

  async write(point: GatewayPoint, raw: RawValue): Promise<DeviceFault | undefined> {
    if (this.timingOut.has(point.name) || this.timingOut.has('*')) {
      await this.wait(this.opts.timeoutMs ?? 250);
      const f = this.report(deviceFault('timeout', `simulated timeout writing "${point.name}"`, point.name));
      this.unanswered();
      return f;
    }
    if (!this.up) return this.report(deviceFault('disconnect', 'the simulated device is unplugged', point.name));
    this.answered();
    this.state[point.name] = raw;
    this.writes.push({ point: point.name, raw });
    return undefined;
  }

  /** The device drops off the bus; the adapter retries with backoff until {@link plugIn}. */
  unplug(): void {
    this.plugged = false;
    if (this.up) this.linkLost('unplugged', 'the simulated device was unplugged; reconnecting with backoff');
  }

  /** The device is back; the next reconnect attempt succeeds. */
  plugIn(): void {
    this.plugged = true;
  }

  /** Makes reads and writes of `point` (or `'*'`: all) time out, or answer again. */
  injectTimeouts(point: string, on: boolean): void {
    if (on) this.timingOut.add(point);
    else this.timingOut.delete(point);
  }

  protected attempt(): boolean {
    if (!this.plugged) {
      this.report(deviceFault('connect', 'the simulated device is unplugged'));
      return false;
    }
    this.up = true;
    this.events.emit('connect');
    return true;
  }

  protected dropLink(reason: string): void {
    this.linkLost(reason, `the simulated device: ${reason}; reconnecting with backoff`);
  }

  private scheduleStep(): void {
    const role = (r: string): string => this.opts.bind?.[r] ?? r;
    this.stepper = this.opts.clock.setTimer(this.stepMs, () => {
      this.model(this.state, this.stepMs / 1000, role);
      this.scheduleStep();
    });
  }

  private wait(ms: number): Promise<void> {
    return new Promise((r) => this.opts.clock.setTimer(ms, r));
  }
}
