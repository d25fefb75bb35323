import mqtt from 'mqtt';

/**
 * A plain mqtt.js subscriber on a tree's `state` and `health` topics: when every birth
 * was seen, and heartbeats per node over a window, with gaps counted as lost beats.
 */
export class HeartbeatMeter {
  private readonly born = new Set<string>();
  private bornWaiter: { n: number; resolve: () => void } | undefined;
  private windowOpen = false;
  private readonly last = new Map<string, number>();
  private readonly lastHealth = new Map<string, { missed: number; overruns: number; late_max: number }>();
  received = 0;
  lost = 0;

  private constructor(
    readonly client: mqtt.MqttClient,
    private readonly heartbeatMs: number,
  ) {
    client.on('message', (t, payload) => {
      const parts = t.split('/');
      const node = parts[2];
      const channel = parts[3];
      if (channel === 'state') {
        if (payload.length === 0) return;
        const s = JSON.parse(payload.toString()) as { state: string };
        if (s.state !== 'online') return;
        this.born.add(node);
        if (this.bornWaiter && this.born.size >= this.bornWaiter.n) {
          const w = this.bornWaiter;
          this.bornWaiter = undefined;
          w.resolve();
        }
        return;
      }
      if (channel !== 'health') return;
      const now = performance.now();
      const h = JSON.parse(payload.toString()) as { missed: number; overruns: number; late_ms?: { max: number } };
      this.lastHealth.set(node, { missed: h.missed, overruns: h.overruns, late_max: h.late_ms?.max ?? 0 });
      if (!this.windowOpen) {
        this.last.set(node, now);
        return;
      }
      this.received++;
      const prev = this.last.get(node);
      if (prev !== undefined) this.lost += lostIn(now - prev, this.heartbeatMs);
      this.last.set(node, now);
    });
  }

  static async connect(url: string, tree: string, heartbeatMs = 1000): Promise<HeartbeatMeter> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
    const m = new HeartbeatMeter(client, heartbeatMs);
    await client.subscribeAsync({ [`strata/${tree}/+/state`]: { qos: 1 }, [`strata/${tree}/+/health`]: { qos: 0 } });
    return m;
  }

  /** Resolves when `n` distinct nodes have announced their birth. */
  births(n: number, timeoutMs: number): Promise<void> {
    if (this.born.size >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.born.size} of ${n} births seen within ${timeoutMs} ms`)), timeoutMs);
      this.bornWaiter = {
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  get bornCount(): number {
    return this.born.size;
  }

  /** Counts heartbeats for `ms`; a node silent at the end counts its missing beats too. */
  async window(ms: number, nodes: readonly string[]): Promise<{ received: number; lost: number; expected: number }> {
    this.received = 0;
    this.lost = 0;
    this.windowOpen = true;
    const start = performance.now();
    for (const n of nodes) if (!this.last.has(n)) this.last.set(n, start);
    await new Promise((r) => setTimeout(r, ms));
    this.windowOpen = false;
    const end = performance.now();
    for (const n of nodes) this.lost += lostIn(end - (this.last.get(n) ?? start), this.heartbeatMs);
    return { received: this.received, lost: this.lost, expected: Math.round((nodes.length * (end - start)) / this.heartbeatMs) };
  }

  /** Summed cycle statistics from each node's latest heartbeat. */
  cycleTotals(): { missed: number; overruns: number; lateMaxMs: number } {
    let missed = 0;
    let overruns = 0;
    let lateMaxMs = 0;
    for (const h of this.lastHealth.values()) {
      missed += h.missed;
      overruns += h.overruns;
      lateMaxMs = Math.max(lateMaxMs, h.late_max);
    }
    return { missed, overruns, lateMaxMs };
  }

  end(): Promise<void> {
    return this.client.endAsync();
  }
}

/** Beats missing in a gap between two heartbeats (half a period of slack for jitter). */
function lostIn(gapMs: number, periodMs: number): number {
  return gapMs > 1.5 * periodMs ? Math.round(gapMs / periodMs) - 1 : 0;
}
