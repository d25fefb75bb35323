import modbusSerial from 'modbus-serial';
import { deviceFault, type DeviceFault, type FaultKind, type RawValue } from '../../adapter.js';
import type { GatewayPoint } from '../../points.js';
import { ReconnectingAdapter, type ReconnectOptions } from '../reconnecting-adapter.js';
import { decodeRegisters, encodeRegisters, registerCount } from './modbus-codec.js';

export interface ModbusTcpAdapterOptions extends ReconnectOptions {
  host: string;
  port?: number;
  unitId?: number;
  /** Per-transaction timeout (ms), enforced by modbus-serial. */
  timeoutMs?: number;
}

// modbus-serial is CommonJS: under NodeNext the default import is module.exports, whose
// `default` property is the client class (the package sets it for ES interop).
const ModbusRTU = modbusSerial.default;
type Client = InstanceType<typeof ModbusRTU>;

function classify(err: unknown): FaultKind {
  const e = err as { errno?: string; modbusCode?: number; message?: string; code?: string };
  if (e.errno === 'ETIMEDOUT') return 'timeout';
  if (e.modbusCode !== undefined) return 'device';
  if (e.message === 'Port Not Open' || e.code === 'ECONNRESET' || e.code === 'EPIPE') return 'disconnect';
  return 'device';
}

/**
 * A Modbus TCP device (modbus-serial client): coils and discrete inputs as bools,
 * holding and input registers as int16, uint16 or float32 over two words. The gateway
 * applies scale and offset; this adapter converts words only.
 */
export class ModbusTcpAdapter extends ReconnectingAdapter {
  private client: Client | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly where: string;

  constructor(private readonly opts: ModbusTcpAdapterOptions) {
    super(opts);
    this.where = `modbus-tcp ${opts.host}:${opts.port ?? 502} unit ${opts.unitId ?? 1}`;
  }

  async close(): Promise<void> {
    this.reconnector.stop();
    const c = this.client;
    this.client = undefined;
    this.up = false;
    if (c?.isOpen) await new Promise<void>((r) => c.close(() => r()));
  }

  read(points: readonly GatewayPoint[]): Promise<Record<string, RawValue | DeviceFault>> {
    return this.serial(async () => {
      const out: Record<string, RawValue | DeviceFault> = {};
      for (const p of points) out[p.name] = await this.readOne(p);
      return out;
    });
  }

  write(point: GatewayPoint, raw: RawValue): Promise<DeviceFault | undefined> {
    return this.serial(async () => {
      const c = this.client;
      const a = point.modbus;
      if (!a) return this.report(deviceFault('device', `point "${point.name}" has no modbus address in the config`, point.name));
      if (!this.up || !c) return this.report(deviceFault('disconnect', `${this.where} is not connected`, point.name));
      try {
        if (a.table === 'coil') {
          await c.writeCoil(a.address, raw === true);
          this.answered();
          return undefined;
        }
        const words = encodeRegisters(raw as number, a);
        if (typeof words === 'string') return this.report(deviceFault('range', `"${point.name}": ${words}`, point.name));
        if (words.length === 1) await c.writeRegister(a.address, words[0]);
        else await c.writeRegisters(a.address, words);
        this.answered();
        return undefined;
      } catch (err) {
        return this.failed(err, `write "${point.name}" to ${a.table} ${a.address}`, point.name);
      }
    });
  }

  private async readOne(p: GatewayPoint): Promise<RawValue | DeviceFault> {
    const c = this.client;
    const a = p.modbus;
    if (!a) return this.report(deviceFault('device', `point "${p.name}" has no modbus address in the config`, p.name));
    if (!this.up || !c) return this.report(deviceFault('disconnect', `${this.where} is not connected`, p.name));
    try {
      const v = await this.readTable(c, a);
      this.answered();
      return v;
    } catch (err) {
      return this.failed(err, `read "${p.name}" from ${a.table} ${a.address}`, p.name);
    }
  }

  private async readTable(c: Client, a: NonNullable<GatewayPoint['modbus']>): Promise<RawValue> {
    switch (a.table) {
      case 'coil':
        return (await c.readCoils(a.address, 1)).data[0];
      case 'discrete':
        return (await c.readDiscreteInputs(a.address, 1)).data[0];
      case 'holding':
        return decodeRegisters((await c.readHoldingRegisters(a.address, registerCount(a))).data, a);
      case 'input':
        return decodeRegisters((await c.readInputRegisters(a.address, registerCount(a))).data, a);
    }
  }

  /** A failed transaction as a fault; a timeout counts toward reopening the link, an exception code shows the device is there. */
  private failed(err: unknown, what: string, point: string): DeviceFault {
    const kind = classify(err);
    const f = this.report(deviceFault(kind, `${what} on ${this.where}: ${(err as Error).message}`, point));
    if (kind === 'timeout') this.unanswered();
    else if (kind === 'device') this.answered();
    return f;
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  protected async attempt(): Promise<boolean> {
    const c = new ModbusRTU();
    try {
      await c.connectTCP(this.opts.host, { port: this.opts.port ?? 502 });
    } catch (err) {
      this.report(deviceFault('connect', `cannot connect to ${this.where}: ${(err as Error).message}; check host, port and that the device is on`));
      return false;
    }
    c.setID(this.opts.unitId ?? 1);
    c.setTimeout(this.opts.timeoutMs ?? 500);
    c.on('error', () => undefined);
    c.on('close', () => {
      if (this.client === c) this.lose('connection closed', `${this.where} closed the connection; reconnecting with backoff`);
    });
    this.client = c;
    this.up = true;
    this.events.emit('connect');
    return true;
  }

  protected dropLink(reason: string): void {
    const c = this.client;
    this.lose(reason, `${this.where}: ${reason}; reconnecting with backoff`);
    if (c?.isOpen) c.close(() => undefined);
  }

  private lose(reason: string, message: string): void {
    this.client = undefined;
    this.linkLost(reason, message);
  }
}
