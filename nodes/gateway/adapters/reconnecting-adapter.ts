import type { Clock } from '../../../src/time/clock.js';
import { AdapterEmitter, deviceFault, type AdapterEvent, type AdapterEvents, type DeviceAdapter, type DeviceFault, type RawValue } from '../adapter.js';
import { Reconnector } from '../backoff.js';
import type { GatewayPoint } from '../points.js';

/** Options every reconnecting adapter takes. */
export interface ReconnectOptions {
  /** Reconnect backoff runs on this clock. */
  clock: Pick<Clock, 'setTimer'>;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /**
   * After this many unanswered requests in a row the link counts as dead: it is closed
   * and reopened with the backoff. The operating system does not always report a lost
   * device (serialport misses some USB pulls and dead ptys; a half-open TCP connection
   * never closes), so silence is the last word. 0: never. Default 3.
   */
  reopenAfterTimeouts?: number;
}

/**
 * What every adapter shares: events, the link-up flag, opening with exponential
 * reconnect backoff, and reopening a link that has stopped answering. A subclass
 * supplies `attempt()` (one try at the device: true when it is up), `dropLink()`,
 * `close`, `read` and `write`; it sets `up` / calls `reconnector.lost()` as its link
 * comes and goes, and reports each request's outcome with {@link answered} or
 * {@link unanswered}.
 */
export abstract class ReconnectingAdapter implements DeviceAdapter {
  protected readonly events = new AdapterEmitter();
  protected readonly reconnector: Reconnector;
  protected up = false;
  private silentInARow = 0;
  private readonly reopenAfter: number;

  constructor(opts: ReconnectOptions) {
    this.reopenAfter = opts.reopenAfterTimeouts ?? 3;
    this.reconnector = new Reconnector({
      clock: opts.clock,
      minMs: opts.reconnectMinMs ?? 100,
      maxMs: opts.reconnectMaxMs ?? 5000,
      attempt: async () => {
        const ok = await this.attempt();
        if (ok) this.silentInARow = 0;
        return ok;
      },
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

  /** Emits a fault and hands it back (adapters return faults in place of values). */
  protected report(f: DeviceFault): DeviceFault {
    this.events.emit('fault', f);
    return f;
  }

  /** The link is gone (lost, or dropped as dead): `up` false, a `disconnect` fault and event, reconnect with backoff. */
  protected linkLost(reason: string, message: string): void {
    this.up = false;
    this.report(deviceFault('disconnect', message));
    this.events.emit('disconnect', reason);
    this.reconnector.lost();
  }

  /** The device answered a request (with a value, an error code, even a bad frame): the link is alive. */
  protected answered(): void {
    this.silentInARow = 0;
  }

  /** A request went unanswered; enough of them in a row and the link is dropped and reopened. */
  protected unanswered(): void {
    this.silentInARow++;
    if (this.reopenAfter === 0 || this.silentInARow < this.reopenAfter || !this.up) return;
    this.silentInARow = 0;
    this.dropLink(`no reply to ${this.reopenAfter} requests in a row; the link counts as lost and is reopened`);
  }

  /** Closes the current link, which is open but dead, and runs {@link linkLost}. */
  protected abstract dropLink(reason: string): void;
  /** One try at the device; true when the link is up. */
  protected abstract attempt(): Promise<boolean> | boolean;
  abstract close(): Promise<void>;
  abstract read(points: readonly GatewayPoint[]): Promise<Record<string, RawValue | DeviceFault>>;
  abstract write(point: GatewayPoint, raw: RawValue): Promise<DeviceFault | undefined>;
}
