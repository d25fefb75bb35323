import { createHash, type Hash } from 'node:crypto';
import type { ResolvedTree } from '../config/resolve-tree.js';
import type { LinkTap, LinkWill, MqttLink } from '../link/mqtt-link.js';
import type { Logger } from '../log/logger.js';
import { NodeRuntime } from '../node/node-runtime.js';
import type { Clock } from '../time/clock.js';
import type { Random } from '../time/random.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { RealClock } from '../time/real-clock.js';
import { encodePayload } from '../wire/codec.js';
import { topic } from '../wire/topics.js';
import { LockstepDriver } from './lockstep-driver.js';
import { Operator } from './operator.js';

/** Makes one MQTT link; the runner passes the client id, will and tap. */
export type LinkFactory = (opts: { clientId: string; will?: LinkWill; tap?: LinkTap }) => MqttLink;

export interface TreeRunOptions {
  tree: ResolvedTree;
  clock: Clock;
  random: Random;
  log: Logger;
  link: LinkFactory;
  /** Session number for births (a restart must use a new one). */
  session: number;
  stopwatch: () => () => number;
  /** Virtual time only: advance in lockstep with message delivery (reproducible). Default true. */
  lockstep?: boolean;
  /** Run only these nodes here (the rest run elsewhere). Default: all. */
  only?: readonly string[];
  /** Delete the tree's retained state/status first (whole-tree runs). Default true when running every node. */
  clearRetained?: boolean;
  /** Every message a node of this run publishes, in publish order. */
  onPublish?: (topic: string, payload: string, now: number) => void;
}

export type RunEnd = 'done' | 'failed' | 'time' | 'stopped' | 'idle';

/**
 * A tree (or part of one) running in this process: nodes, the operator identity, and
 * the driver that moves time. The digest is a SHA-256 of the ordered message trace
 * (every message but heartbeats, whose timings are wall time).
 */
export class TreeRun {
  readonly nodes = new Map<string, NodeRuntime>();
  readonly operator: Operator;
  readonly driver: LockstepDriver | undefined;
  private readonly operatorLink: MqttLink;
  /** The trace's hash, in virtual time only (see digest()). */
  private readonly hash: Hash | undefined;
  private readonly rootStatusTopic: string;
  private traced = 0;
  private digestValue: string | undefined;
  private stopRequested = false;
  private rootEnd: { id: string; state: string; reason: string } | undefined;
  private watchedCommand: string | undefined;
  private readonly subscriberOf = new Map<string, number>();

  constructor(private readonly options: TreeRunOptions) {
    const { tree, clock } = options;
    const lockstep = clock instanceof VirtualClock && (options.lockstep ?? true);
    this.hash = clock.mode === 'virtual' ? createHash('sha256') : undefined;
    this.rootStatusTopic = topic(tree.config.tree, tree.root, 'status');
    const ids = options.only ?? tree.specs.map((s) => s.id);
    const driven: NodeRuntime[] = [];
    if (lockstep) {
      this.driver = new LockstepDriver(clock as VirtualClock, driven, options.log);
    }
    const treeId = tree.config.tree;
    this.operatorLink = options.link({ clientId: `strata-${treeId}-operator-${options.session}`, tap: this.driver?.tap() });
    this.operator = new Operator(this.operatorLink, treeId, options.session, () => clock.now());
    for (const spec of tree.specs) {
      if (!ids.includes(spec.id)) continue;
      const kind = tree.kinds.get(spec.kind)!;
      const node = new NodeRuntime({
        tree: treeId,
        spec,
        kind,
        clock,
        random: options.random.fork(`node/${spec.id}`),
        log: options.log.child({ node: spec.id }),
        link: ({ clientId, will }) => options.link({ clientId, will, tap: this.driver?.tap() }),
        session: options.session,
        driven: lockstep,
        maxPayload: tree.config.max_payload,
        stopwatch: options.stopwatch,
        onPublish: (t, payload) => this.trace(t, payload),
      });
      this.nodes.set(spec.id, node);
      driven.push(node);
      const sid = this.driver?.addSubscriber([...node.subscriptions()].map((s) => s.topic));
      if (sid !== undefined) this.subscriberOf.set(spec.id, sid);
    }
  }

  /** Connects every node, clears stale retained messages, then announces births in config order. */
  async start(): Promise<void> {
    await this.operatorLink.connect();
    const all = this.options.only === undefined;
    if (this.options.clearRetained ?? all) {
      const treeId = this.options.tree.config.tree;
      await Promise.all(
        [...this.nodes.keys()].flatMap((id) => [
          this.operatorLink.publish(topic(treeId, id, 'state'), '', { qos: 1, retain: true }),
          this.operatorLink.publish(topic(treeId, id, 'status'), '', { qos: 1, retain: true }),
        ]),
      );
      this.driver?.resetPending();
    }
    await Promise.all([...this.nodes.values()].map((n) => n.connect()));
    for (const n of this.nodes.values()) n.begin();
  }

  /** Sends the config's start command (if any) to the root as the operator; returns its id. */
  async sendStart(): Promise<string | undefined> {
    const start = this.options.tree.config.start;
    if (!start) return undefined;
    this.watchedCommand = start.id;
    await this.operator.command(this.options.tree.root, start.verb, start.args, { id: start.id });
    return start.id;
  }

  /** Watch the root's status for this command id; `run` ends when it is terminal. */
  watch(commandId: string): void {
    this.watchedCommand = commandId;
  }

  /** How the watched root command ended, once it has. */
  rootOutcome(): { id: string; state: string; reason: string } | undefined {
    return this.rootEnd;
  }

  /**
   * Runs until the watched root command ends, `durationMs` of clock time passes, or
   * {@link requestStop}. In virtual time without lockstep, time jumps from timer to
   * timer as fast as the machine allows (not reproducible).
   */
  async run(opts: { durationMs?: number; onStep?: (now: number) => void } = {}): Promise<RunEnd> {
    const clock = this.options.clock;
    const endMs = opts.durationMs === undefined ? undefined : clock.now() + opts.durationMs;
    const finished = (): boolean => this.stopRequested || this.rootEnd !== undefined;
    const why = (): RunEnd => (this.rootEnd ? (this.rootEnd.state === 'done' ? 'done' : 'failed') : 'stopped');
    if (this.driver) {
      const r = await this.driver.run({ endMs, stop: finished, onStep: opts.onStep });
      return r === 'stopped' ? why() : r;
    }
    if (clock instanceof VirtualClock) {
      const yieldToIo = (): Promise<void> => new Promise((resolve) => new RealClock().setTimer(0, resolve));
      let n = 0;
      for (;;) {
        if (finished()) return why();
        const next = clock.nextDue();
        if (next === undefined) return 'idle';
        if (endMs !== undefined && next > endMs) {
          clock.advanceTo(endMs);
          return 'time';
        }
        clock.step();
        opts.onStep?.(clock.now());
        if (++n % 4 === 0) await yieldToIo();
      }
    }
    // Real time: the clock runs by itself; poll the end conditions every 50 ms.
    return new Promise<RunEnd>((resolve) => {
      const check = (): void => {
        if (finished()) return resolve(why());
        if (endMs !== undefined && clock.now() >= endMs) return resolve('time');
        opts.onStep?.(clock.now());
        clock.setTimer(50, check);
      };
      check();
    });
  }

  requestStop(): void {
    this.stopRequested = true;
  }

  /** Stops every node cleanly (each announces `offline`). */
  async stop(reason = 'tree stopped'): Promise<void> {
    await Promise.allSettled([...this.nodes.values()].map((n) => n.stop(reason)));
    await this.operatorLink.end();
  }

  /** Kills node `id` as a crash would when the clock reaches `atMs` (fault injection in scenarios). */
  scheduleCrash(id: string, atMs: number): void {
    this.options.clock.setTimer(Math.max(0, atMs - this.options.clock.now()), () => {
      this.options.log.warn(`fault injection: ${id} goes silent (killed) at t=${this.options.clock.now()} ms`);
      this.crash(id);
    });
  }

  /** Kills one node as a crash would (tests): its will announces it offline. */
  crash(id: string): void {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node "${id}" runs in this process`);
    const sid = this.subscriberOf.get(id);
    if (this.driver && sid !== undefined) {
      this.driver.removeSubscriber(sid);
      // The broker will publish the node's last will: time must wait for it to arrive.
      this.driver.expect(topic(this.options.tree.config.tree, id, 'state'));
    }
    n.crash();
  }

  /**
   * SHA-256 of the ordered trace (hex), and how many messages it covers. Only virtual
   * time has a reproducible trace; in real time the digest is null (the order of
   * messages from different nodes depends on the machine) and only the count is kept.
   */
  digest(): { digest: string | null; messages: number } {
    if (!this.hash) return { digest: null, messages: this.traced };
    if (this.digestValue === undefined) this.digestValue = this.hash.digest('hex');
    return { digest: this.digestValue, messages: this.traced };
  }

  private trace(t: string, payload: string): void {
    // Called for every message a node publishes: no topic parsing, no hashing in real time.
    if (this.watchedCommand !== undefined && t === this.rootStatusTopic) {
      const s = JSON.parse(payload) as { id: string; state: string; reason: string };
      if (s.id === this.watchedCommand && ['done', 'failed', 'aborted', 'rejected'].includes(s.state)) this.rootEnd = { id: s.id, state: s.state, reason: s.reason };
    }
    const now = this.options.clock.now();
    this.options.onPublish?.(t, payload, now);
    if (this.digestValue !== undefined || (t.endsWith('/health') && t.split('/').length === 4)) return;
    this.traced++;
    this.hash?.update(`${now}\u0000${t}\u0000${payload}\n`);
  }
}

export { encodePayload };
