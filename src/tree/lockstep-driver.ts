import type { LinkTap } from '../link/mqtt-link.js';
import type { Logger } from '../log/logger.js';
import type { TimerHandle } from '../time/clock.js';
import { RealClock } from '../time/real-clock.js';
import type { VirtualClock } from '../time/virtual-clock.js';
import { topicMatches } from '../wire/topics.js';

/** What the driver needs of a node. */
export interface DrivenNode {
  readonly id: string;
  wantsWake(): boolean;
  runWake(): void;
}

export interface LockstepStats {
  steps: number;
  deltaCycles: number;
  stalls: number;
  messages: number;
}

/**
 * Advances a virtual clock in lockstep with message delivery over a real broker. At
 * each instant: fire the timers due (node cycles, simulator steps) in a fixed order;
 * wait until every message they published has reached every in-process subscriber;
 * run, in a fixed order, the nodes those messages woke ("delta cycles"); repeat until
 * quiet; then move to the next timer. The same config and seed so give the same run,
 * message for message, on any broker.
 */
export class LockstepDriver {
  readonly stats: LockstepStats = { steps: 0, deltaCycles: 0, stalls: 0, messages: 0 };
  private pending = 0;
  private waiter: (() => void) | undefined;
  private readonly filters = new Map<number, string[]>();
  private nextSubscriber = 0;
  private readonly fanout = new Map<string, number>();
  private readonly wall = new RealClock();
  private waitingSince = 0;
  private watchdog: TimerHandle | undefined;

  constructor(
    private readonly clock: VirtualClock,
    private readonly nodes: readonly DrivenNode[],
    private readonly log: Logger,
    /** Wall time to wait for a missing delivery before giving up on it (ms). */
    private readonly stallMs = 5000,
  ) {}

  /** Registers the topic filters one in-process client subscribes to; returns a handle for {@link removeSubscriber}. */
  addSubscriber(filters: readonly string[]): number {
    const id = this.nextSubscriber++;
    this.filters.set(id, [...filters]);
    this.fanout.clear();
    return id;
  }

  /** Forgets a client that is gone (a crashed node receives nothing more). */
  removeSubscriber(id: number): void {
    this.filters.delete(id);
    this.fanout.clear();
  }

  /** Counts a message the broker itself will publish (a last will), so time waits for it. */
  expect(topicName: string): void {
    this.pending += this.subscribersOf(topicName);
  }

  /** The tap to give each in-process link, so the driver sees publishes and deliveries. */
  tap(): LinkTap {
    return {
      published: (t) => {
        const n = this.subscribersOf(t);
        this.pending += n;
        this.stats.messages++;
      },
      received: () => {
        // Clamp at 0: messages from outside the tree (an operator's mosquitto_pub) were never counted.
        this.pending = Math.max(0, this.pending - 1);
        if (this.pending <= 0 && this.waiter) {
          const w = this.waiter;
          this.waiter = undefined;
          w();
        }
      },
    };
  }

  /** Forgets counted deliveries (after clearing retained messages, which reach no one). */
  resetPending(): void {
    this.pending = 0;
  }

  /** Resolves once every counted message has been delivered. */
  quiesce(): Promise<void> {
    if (this.pending <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waitingSince = this.wall.now();
      this.waiter = resolve;
      this.armWatchdog();
    });
  }

  /**
   * One wall timer watches for stalled deliveries, rather than a timer per wait (there
   * is a wait per step, ~100 per simulated second): it re-arms for the time left while
   * waits go on, and lapses once nothing is waited for.
   */
  private armWatchdog(): void {
    if (this.watchdog) return;
    const left = Math.max(1, this.stallMs - (this.wall.now() - this.waitingSince));
    this.watchdog = this.wall.setTimer(left, () => {
      this.watchdog = undefined;
      if (!this.waiter) return;
      if (this.wall.now() - this.waitingSince < this.stallMs) {
        this.armWatchdog();
        return;
      }
      this.stats.stalls++;
      this.log.warn(`lockstep: ${this.pending} message deliveries did not arrive within ${this.stallMs} ms at t=${this.clock.now()}; going on without them`);
      this.pending = 0;
      const w = this.waiter;
      this.waiter = undefined;
      w();
    });
  }

  /**
   * Runs until `stop()` says so or virtual time would pass `endMs`. Returns why it stopped.
   */
  async run(opts: { endMs?: number; stop?: () => boolean; onStep?: (now: number) => void }): Promise<'stopped' | 'time' | 'idle'> {
    try {
      return await this.runSteps(opts);
    } finally {
      this.watchdog?.cancel();
      this.watchdog = undefined;
    }
  }

  private async runSteps(opts: { endMs?: number; stop?: () => boolean; onStep?: (now: number) => void }): Promise<'stopped' | 'time' | 'idle'> {
    const maxDelta = 10_000;
    for (;;) {
      await this.quiesce();
      let deltas = 0;
      for (;;) {
        const woken = this.nodes.filter((n) => n.wantsWake());
        if (woken.length === 0) break;
        if (++deltas > maxDelta) throw new Error(`lockstep: more than ${maxDelta} delta cycles at t=${this.clock.now()} ms; nodes keep waking each other (${woken.map((n) => n.id).join(', ')})`);
        for (const n of woken) n.runWake();
        this.stats.deltaCycles++;
        await this.quiesce();
      }
      if (opts.stop?.()) return 'stopped';
      const next = this.clock.nextDue();
      if (next === undefined) return 'idle';
      if (opts.endMs !== undefined && next > opts.endMs) {
        this.clock.advanceTo(opts.endMs);
        return 'time';
      }
      this.clock.step();
      this.stats.steps++;
      opts.onStep?.(this.clock.now());
    }
  }

  private subscribersOf(t: string): number {
    let n = this.fanout.get(t);
    if (n === undefined) {
      n = 0;
      for (const fs of this.filters.values()) if (fs.some((f) => topicMatches(f, t))) n++;
      this.fanout.set(t, n);
    }
    return n;
  }
}
