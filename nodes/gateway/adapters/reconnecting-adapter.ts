import type { Clock } from '../../../src/time/clock.js';
import { AdapterEmitter, type AdapterEvent, type AdapterEvents, type DeviceAdapter, type DeviceFault, type RawValue } from '../adapter.js';
import { Reconnector } from '../backoff.js';
import type { GatewayPoint } from '../points.js';

/** Options every reconnecting adapter takes. */
export interface ReconnectOptions {
  /** Reconnect backoff runs on this clock. */
  clock: Pick<Clock, 'setTimer'>;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

/**
 * What every adapter shares: events, the link-up flag, and opening with exponential
 * reconnect backoff. A subclass supplies `attempt()` (one try at the device: true when
 * it is up), `close`, `read` and `write`, and sets `up` / calls `reconnector.lost()` as
 * its link comes and goes.
 */
export abstract class ReconnectingAdapter implements DeviceAdapter {
  protected readonly events = new AdapterEmitter();
  protected readonly reconnector: Reconnector;
  protected up = false;

  constructor(opts: ReconnectOptions) {
    this.reconnector = new Reconnector({
      clock: opts.clock,
      minMs: opts.reconnectMinMs ?? 100,
      maxMs: opts.reconnectMaxMs ?? 5000,
      attempt: async () => this.attempt(),
    });
  }

  get connected(): boolean {
    return this.up;
  }

  on<E extends AdapterEvent>(event: E, listener: AdapterEvents[E]): () => void {
    return this.events.on(event, listener);
  }

  async open(): Promise<void> {
    await this.reconnector.connect();
  }

  /** One try at the device; true when the link is up. */
  protected abstract attempt(): Promise<boolean> | boolean;
  abstract close(): Promise<void>;
  abstract read(points: readonly GatewayPoint[]): Promise<Record<string, RawValue | DeviceFault>>;
  abstract write(point: GatewayPoint, raw: RawValue): Promise<DeviceFault | undefined>;
}
