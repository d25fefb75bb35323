import { stringify } from 'yaml';
import { gatewayKind } from '../../nodes/gateway/gateway-kind.js';
import type { GatewayParamsInput } from '../../nodes/gateway/points.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { MqttLink } from '../../src/link/mqtt-link.js';
import { RealClock } from '../../src/time/real-clock.js';
import type { TreeRun } from '../../src/tree/tree-run.js';
import { uniqueTree, type TestBroker } from '../support/brokers.js';
import { startRun, treeFrom } from '../support/trees.js';
import { Watcher, type Seen } from '../support/watcher.js';

/**
 * One gateway node (the root of its own tree) on an embedded broker that the test can
 * stop and start again on the same port, in real time, with a watcher on the tree.
 */
export class GatewayHarness {
  watcher!: Watcher;
  private serial = 0;
  private readonly session = Math.floor(Math.random() * 1e6);

  private constructor(
    readonly tree: string,
    private broker: EmbeddedBroker,
    readonly run: TreeRun,
  ) {}

  static async start(params: GatewayParamsInput, opts: { period?: string; heartbeat?: string } = {}): Promise<GatewayHarness> {
    const broker = await startEmbeddedBroker({ anyPort: true });
    const tree = uniqueTree('gw');
    // The links follow the port, not the broker object, so a restarted broker is found again.
    const url = broker.url;
    const test: TestBroker = {
      name: 'aedes',
      url,
      link: ({ clientId, will, tap }) => new MqttLink({ clientId, will, tap, endpoint: { url }, reconnectMs: 50, reconnectMaxMs: 200 }),
      close: () => broker.close(),
    };
    const yamlText = stringify({ tree, nodes: [{ id: 'gw', kind: 'gateway', period: opts.period ?? '10ms', heartbeat: opts.heartbeat ?? '100ms', params }] });
    const resolved = await treeFrom(yamlText, [gatewayKind]);
    const watcher = await Watcher.connect(url, `strata/${tree}/#`);
    const run = await startRun(resolved, test, { clock: new RealClock() });
    const h = new GatewayHarness(tree, broker, run);
    h.watcher = watcher;
    return h;
  }

  /** The broker's URL (the same after an outage: it comes back on the same port). */
  get url(): string {
    return this.broker.url;
  }

  topic(channel: string): string {
    return `strata/${this.tree}/gw/${channel}`;
  }

  /** Publishes a `write` as the operator would; returns its serial. */
  async write(id: string, values: Record<string, unknown>, serial = ++this.serial): Promise<number> {
    this.serial = Math.max(this.serial, serial);
    await this.watcher.publish(this.topic('cmd'), JSON.stringify({ v: 1, id, serial, verb: 'write', args: { values }, from: 'operator', session: this.session }));
    return serial;
  }

  /** The first message on `channel` (seen from `since` on) that matches. */
  waitOn(channel: string, pred: (json: any) => boolean, what: string, since = 0): Promise<Seen> {
    const t = this.topic(channel);
    return this.watcher.waitFor((m) => m.topic === t && this.watcher.seen.indexOf(m) >= since && m.json !== undefined && pred(m.json), what);
  }

  /** A sense message whose values match. */
  sense(pred: (values: any) => boolean, what: string, since = 0): Promise<Seen> {
    return this.waitOn('sense', (j) => pred(j.values), what, since);
  }

  status(id: string, pred: (s: any) => boolean, what: string, since = 0): Promise<Seen> {
    return this.waitOn('status', (s) => s.id === id && pred(s), what, since);
  }

  health(pred: (detail: any) => boolean, what: string, since = 0): Promise<Seen> {
    return this.waitOn('health', (h) => h.detail !== undefined && pred(h.detail), what, since);
  }

  /** Index to pass as `since` to wait only for messages from now on. */
  mark(): number {
    return this.watcher.seen.length;
  }

  /** Broker outage: the broker goes away (every client drops), then comes back on the same port with a new watcher. */
  async brokerOutage(whileDown: () => Promise<void>): Promise<void> {
    const port = this.broker.port;
    await this.watcher.close().catch(() => undefined);
    await this.broker.close();
    await whileDown();
    this.broker = await startEmbeddedBroker({ port });
    if (this.broker.port !== port) throw new Error(`the restarted broker could not take port ${port} again (got ${this.broker.port})`);
    this.watcher = await Watcher.connect(this.broker.url, `strata/${this.tree}/#`);
  }

  async stop(): Promise<void> {
    await this.run.stop();
    await this.watcher.close().catch(() => undefined);
    await this.broker.close();
  }
}
