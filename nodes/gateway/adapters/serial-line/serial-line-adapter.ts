import type { Clock, TimerHandle } from '../../../../src/time/clock.js';
import { deviceFault, type DeviceFault, type RawValue } from '../../adapter.js';
import type { GatewayPoint } from '../../points.js';
import { ReconnectingAdapter, type ReconnectOptions } from '../reconnecting-adapter.js';
import { decodeLine, encodeLine, formatValue, parseReply, parseValue, type LineReply } from './line-protocol.js';
import { openSerialLine, type LineTransport, type LineTransportFactory } from './serial-transport.js';

export interface SerialLineAdapterOptions extends ReconnectOptions {
  path: string;
  baudRate?: number;
  /** Per-request reply timeout (ms). */
  timeoutMs?: number;
  /** Timers (request timeouts, reconnect backoff) run on this clock. */
  clock: Pick<Clock, 'setTimer'>;
  /** Opens the link; defaults to the real serial port. */
  transport?: LineTransportFactory;
}

interface Pending {
  name: string;
  expect: 'VAL' | 'OK';
  resolve: (r: LineReply | DeviceFault) => void;
  timer: TimerHandle;
}

/**
 * A device speaking the strata line protocol over a serial port. One request is on the
 * wire at a time; a reply that does not match it (a late answer to a timed-out request)
 * is dropped. Timeouts, CRC and parse errors come back as faults; a lost port is
 * reopened with exponential backoff, and so is a port that has stopped answering
 * (serialport does not report every lost device).
 */
export class SerialLineAdapter extends ReconnectingAdapter {
  private link: LineTransport | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timeoutMs: number;

  constructor(private readonly opts: SerialLineAdapterOptions) {
    super(opts);
    this.timeoutMs = opts.timeoutMs ?? 250;
  }

  async close(): Promise<void> {
    this.reconnector.stop();
    const link = this.link;
    this.link = undefined;
    this.up = false;
    this.failPending(deviceFault('disconnect', 'the adapter was closed'));
    await link?.close();
  }

  read(points: readonly GatewayPoint[]): Promise<Record<string, RawValue | DeviceFault>> {
    return this.serial(async () => {
      const out: Record<string, RawValue | DeviceFault> = {};
      for (const p of points) {
        const wire = p.wire ?? p.name;
        const r = await this.request(`GET ${wire}`, wire, 'VAL');
        if ('fault' in r) out[p.name] = this.report({ ...r, point: p.name });
        else if (r.kind === 'ERR') out[p.name] = this.report(deviceFault('device', `device answered ERR ${r.code} ${r.message} to GET ${wire}`, p.name));
        else if (r.kind === 'VAL') {
          const v = parseValue(p.type, r.value);
          out[p.name] = v !== undefined ? v : this.report(deviceFault('parse', `device sent "${r.value}" for ${p.type} point ${wire}`, p.name));
        }
      }
      return out;
    });
  }

  write(point: GatewayPoint, raw: RawValue): Promise<DeviceFault | undefined> {
    return this.serial(async () => {
      const wire = point.wire ?? point.name;
      const r = await this.request(`SET ${wire} ${formatValue(raw)}`, wire, 'OK');
      if ('fault' in r) return this.report({ ...r, point: point.name });
      if (r.kind === 'ERR') return this.report(deviceFault('device', `device answered ERR ${r.code} ${r.message} to SET ${wire}`, point.name));
      return undefined;
    });
  }

  /** Runs bus transactions one after another. */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private request(body: string, name: string, expect: 'VAL' | 'OK'): Promise<LineReply | DeviceFault> {
    const link = this.link;
    if (!this.up || !link) return Promise.resolve(deviceFault('disconnect', `${this.opts.path} is not connected`));
    return new Promise((resolve) => {
      const timer = this.opts.clock.setTimer(this.timeoutMs, () => {
        if (this.pending?.timer !== timer) return;
        this.pending = undefined;
        resolve(deviceFault('timeout', `no reply to "${body}" within ${this.timeoutMs} ms on ${this.opts.path}`));
        this.unanswered();
      });
      this.pending = { name, expect, resolve, timer };
      link.write(encodeLine(body));
    });
  }

  private onLine(line: string): void {
    const p = this.pending;
    const d = decodeLine(line);
    if (!p) return;
    this.answered();
    if (!d.ok) return this.settle(p, deviceFault(d.fault, d.message));
    const reply = parseReply(d.body);
    if (!reply) return this.settle(p, deviceFault('parse', `cannot parse reply "${d.body.slice(0, 80)}"; expected VAL, OK or ERR`));
    if (reply.name !== p.name || (reply.kind !== 'ERR' && reply.kind !== p.expect)) return; // a late reply to an earlier request
    this.settle(p, reply);
  }

  private settle(p: Pending, r: LineReply | DeviceFault): void {
    p.timer.cancel();
    this.pending = undefined;
    p.resolve(r);
  }

  private failPending(f: DeviceFault): void {
    if (this.pending) this.settle(this.pending, f);
  }

  protected async attempt(): Promise<boolean> {
    const link = (this.opts.transport ?? openSerialLine)(this.opts.path, this.opts.baudRate ?? 115200);
    try {
      await link.open();
    } catch (err) {
      this.report(deviceFault('connect', (err as Error).message));
      return false;
    }
    this.link = link;
    link.onLine((line) => {
      if (this.link === link) this.onLine(line);
    });
    link.onLost((reason) => {
      if (this.link === link) this.lose(reason);
    });
    this.up = true;
    this.events.emit('connect');
    return true;
  }

  protected dropLink(reason: string): void {
    const link = this.link;
    this.lose(reason);
    void link?.close();
  }

  private lose(reason: string): void {
    this.link = undefined;
    this.up = false;
    this.failPending(deviceFault('disconnect', `${this.opts.path} was lost: ${reason}`));
    this.linkLost(reason, `${this.opts.path} was lost (${reason}); reconnecting with backoff`);
  }
}
