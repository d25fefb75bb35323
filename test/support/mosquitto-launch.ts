import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';

/** `strata launch` run from source, with its output parsed as it comes. */
export class Launched {
  out = '';
  /** Every `node <id> pid <pid>` line, in order. */
  readonly starts: Array<{ id: string; pid: number }> = [];
  private waiters: Array<{ re: RegExp; from: number; resolve: (m: RegExpMatchArray) => void }> = [];
  /** Resolves with the launcher's exit code when it ends. */
  readonly exited: Promise<number | null>;

  constructor(readonly proc: ChildProcess) {
    const onData = (d: Buffer): void => {
      this.out += d.toString();
      for (const m of d.toString().matchAll(/^node (\S+) pid (\d+)$/gm)) this.starts.push({ id: m[1], pid: Number(m[2]) });
      this.waiters = this.waiters.filter((w) => {
        const m = this.out.slice(w.from).match(w.re);
        if (!m) return true;
        w.resolve(m);
        return false;
      });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    // 'close', not 'exit': by then every line the launcher printed has been read.
    this.exited = new Promise((r) => proc.once('close', (code) => r(code)));
  }

  /** The pid now running node `id`. */
  pid(id: string): number {
    const s = this.starts.filter((x) => x.id === id).at(-1);
    if (!s) throw new Error(`launch has not started ${id} yet:\n${this.out}`);
    return s.pid;
  }

  /** Waits for output matching `re` after character offset `from` (default: anywhere). */
  waitFor(re: RegExp, from = 0, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const m = this.out.slice(from).match(re);
    if (m) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`launch never printed ${re}; output:\n${this.out.slice(-3000)}`)), timeoutMs);
      this.waiters.push({ re, from, resolve: (x) => (clearTimeout(timer), resolve(x)) });
    });
  }

  /** Ctrl-C: SIGTERM to the launcher, which stops its children; resolves with its exit code. */
  async stop(): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    return this.exited;
  }
}

/** Starts `strata launch <args>` from source. */
export function launch(args: string[], env: Record<string, string> = {}): Launched {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--log-format', 'json', 'launch', ...args], {
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Launched(proc);
}

/** Writes a YAML tree to a temp file and returns its path. */
export function writeTree(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-tree-'));
  const file = join(dir, 'tree.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** A demo-like work cell in real time: a sequencer over two workers. */
export function cellTree(tree: string, o: { retries?: number; conveyorS?: number; armS?: number } = {}): string {
  return `tree: ${tree}
time: { mode: real }
nodes:
  - id: cell
    kind: sequencer
    period: 200ms
    params:
      retries: ${o.retries ?? 3}
      steps:
        - { child: conveyor, verb: work, args: { seconds: ${o.conveyorS ?? 1} } }
        - { child: arm, verb: work, args: { seconds: ${o.armS ?? 3} } }
        - { child: conveyor, verb: work, args: { seconds: ${o.conveyorS ?? 1} } }
  - { id: conveyor, kind: worker, parent: cell, period: 50ms }
  - { id: arm, kind: worker, parent: cell, period: 50ms }
`;
}

export interface TraceMsg {
  i: number;
  at: number;
  topic: string;
  node: string;
  channel: string;
  json: any;
}

/**
 * Records a tree's live traffic (retained replays left out) across broker restarts:
 * reconnects quickly and subscribes again. Tests assert on the trace.
 */
export class Trace {
  readonly msgs: TraceMsg[] = [];
  private waiters: Array<{ pred: (m: TraceMsg) => boolean; resolve: (m: TraceMsg) => void }> = [];

  private constructor(readonly client: mqtt.MqttClient) {
    client.on('message', (t, payload, packet) => {
      if (packet.retain) return;
      let json: unknown;
      try {
        json = JSON.parse(payload.toString());
      } catch {
        json = undefined;
      }
      const [, , node, channel] = t.split('/');
      const m: TraceMsg = { i: this.msgs.length, at: performance.now(), topic: t, node, channel, json };
      this.msgs.push(m);
      this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
    });
  }

  static async connect(url: string, tree: string, opts: mqtt.IClientOptions = {}): Promise<Trace> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 100, ...opts });
    const t = new Trace(client);
    client.on('connect', () => void client.subscribe(`strata/${tree}/#`, { qos: 1 }));
    await client.subscribeAsync(`strata/${tree}/#`, { qos: 1 });
    return t;
  }

  waitFor(pred: (m: TraceMsg) => boolean, what: string, timeoutMs = 20_000, from = 0): Promise<TraceMsg> {
    const found = this.msgs.slice(from).find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; last messages:\n${this.msgs.slice(-10).map((m) => `${m.topic} ${JSON.stringify(m.json)?.slice(0, 160)}`).join('\n')}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Publishes a command as the operator would. */
  async command(tree: string, node: string, id: string, serial: number, verb = 'run', session = 1): Promise<void> {
    await this.client.publishAsync(`strata/${tree}/${node}/cmd`, JSON.stringify({ v: 1, id, serial, verb, from: 'operator', session }), { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/**
 * Checks a trace for duplicated and silently lost commands:
 * - duplicated: a node acknowledges (`received`) the same (sender, id, serial) more than once;
 * - lost: a command that was never acknowledged although its target was online when it
 *   was sent, or one sent to an offline target that its sender never moved on from.
 * Returns the problems found (empty when the trace is clean).
 */
export function checkCommands(msgs: readonly TraceMsg[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const m of msgs) {
    if (m.channel !== 'status' || m.json?.state !== 'received') continue;
    const key = `${m.node} ${m.json.id} ${m.json.serial}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  for (const [k, n] of seen) if (n > 1) problems.push(`${k} was received ${n} times`);
  for (const c of msgs) {
    if (c.channel !== 'cmd' || !c.json) continue;
    const acked = msgs.some((s) => s.i > c.i && s.node === c.node && s.channel === 'status' && s.json?.id === c.json.id);
    if (acked) continue;
    const lastState = [...msgs.slice(0, c.i)].reverse().find((s) => s.node === c.node && s.channel === 'state');
    const targetOffline = lastState?.json?.state === 'offline';
    const movedOn = msgs.some((s) => s.i > c.i && ((s.channel === 'cmd' && s.node === c.node && s.json?.id !== c.json.id) || (s.node === c.json.from && s.channel === 'status' && ['done', 'failed'].includes(s.json?.state))));
    if (!targetOffline) problems.push(`command ${c.json.id}/${c.json.serial} to ${c.node} (online) was never acknowledged`);
    else if (!movedOn) problems.push(`command ${c.json.id}/${c.json.serial} to offline ${c.node} was lost and ${c.json.from} never moved on`);
  }
  return problems;
}
