import type { GatewayPoint } from './points.js';

/**
 * A value as the device holds it, before scaling: booleans for bits, numbers for
 * registers and counts, strings for enum states, arrays for vector inputs.
 */
export type RawValue = number | boolean | string | number[];

/** What went wrong talking to a device. */
export type FaultKind = 'timeout' | 'crc' | 'parse' | 'disconnect' | 'connect' | 'device' | 'range';

/**
 * A device fault, as a value: adapters return it in place of a reading (or from a
 * write) and emit it on `fault`; they never throw for device trouble.
 */
export interface DeviceFault {
  readonly fault: FaultKind;
  /** The point it concerns, if any (a lost connection concerns all). */
  readonly point?: string;
  /** What happened and, where it helps, what to check. */
  readonly message: string;
}

/** Tells a reading from a fault. */
export function isDeviceFault(v: unknown): v is DeviceFault {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as DeviceFault).fault === 'string';
}

export function deviceFault(fault: FaultKind, message: string, point?: string): DeviceFault {
  return point === undefined ? { fault, message } : { fault, message, point };
}

export interface AdapterEvents {
  /** The device link is up (after open, or after a reconnect). */
  connect: () => void;
  /** The device link went down; the adapter keeps trying to reconnect until closed. */
  disconnect: (reason: string) => void;
  /** Any fault, including those also returned from read/write. */
  fault: (fault: DeviceFault) => void;
}
export type AdapterEvent = keyof AdapterEvents;

/**
 * The one interface between the gateway and a device. To support a new bus (GPIO, CAN,
 * I2C, ...), implement these five members; everything above (range checks, scaling,
 * watchdog, rate limits, health) is shared.
 *
 * Contract:
 * - `open` starts the link and resolves after the first attempt, connected or not; a
 *   failed or lost link is retried with backoff until `close`.
 * - `read` and `write` never reject: device trouble comes back as a {@link DeviceFault}
 *   (and is also emitted on `fault`). Values are raw (device units); the gateway scales.
 * - Calls may overlap; the adapter serialises them if its bus needs it.
 */
export interface DeviceAdapter {
  open(): Promise<void>;
  close(): Promise<void>;
  /** True while the device link is up. */
  readonly connected: boolean;
  read(points: readonly GatewayPoint[]): Promise<Record<string, RawValue | DeviceFault>>;
  write(point: GatewayPoint, raw: RawValue): Promise<DeviceFault | undefined>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends AdapterEvent>(event: E, listener: AdapterEvents[E]): () => void;
}

/** A tiny typed emitter adapters can embed for their `on`. */
export class AdapterEmitter {
  private readonly listeners: { [E in AdapterEvent]: Set<AdapterEvents[E]> } = {
    connect: new Set(),
    disconnect: new Set(),
    fault: new Set(),
  };

  on<E extends AdapterEvent>(event: E, listener: AdapterEvents[E]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  emit<E extends AdapterEvent>(event: E, ...args: Parameters<AdapterEvents[E]>): void {
    for (const fn of [...this.listeners[event]]) (fn as (...a: unknown[]) => void)(...args);
  }
}
