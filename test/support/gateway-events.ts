import type { AdapterEvent, DeviceAdapter } from '../../nodes/gateway/adapter.js';
import type { Clock, TimerHandle } from '../../src/time/clock.js';
import { RealClock } from '../../src/time/real-clock.js';

/** Resolves at the adapter's next `event` (with its argument, if any). */
export function nextAdapterEvent(adapter: DeviceAdapter, event: AdapterEvent, match: (arg: unknown) => boolean = () => true): Promise<unknown> {
  return new Promise((resolve) => {
    const off = adapter.on(event, ((arg?: unknown) => {
      if (!match(arg)) return;
      off();
      resolve(arg);
    }) as never);
  });
}

/** A real clock that records every timer delay asked of it (to check backoff without timing it). */
export class RecordingClock implements Pick<Clock, 'now' | 'setTimer'> {
  readonly delays: number[] = [];
  private readonly real = new RealClock();

  now(): number {
    return this.real.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    this.delays.push(delayMs);
    return this.real.setTimer(delayMs, fn);
  }
}
