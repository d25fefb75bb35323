/**
 * What the dashboard knows about running trees, folded from their MQTT messages. Pure:
 * messages and the time they arrived go in, a plain snapshot for drawing comes out.
 *
 * The whole model lives inside one factory with no references outside it (types aside),
 * because the page ships it to the browser as `createDashboardModel.toString()`: the same
 * code is unit-tested here and runs there, with no bundler.
 *
 * Map convention (for node kinds that want the rover drawn): a node's `sense.values` or
 * its `status.detail` may carry any of these keys, in metres, world frame, y up:
 * - `pose`: `{ x, y, theta }` (theta in radians, counter-clockwise from +x); a sense whose
 *   values have numeric `x`, `y` (and `theta`) at the top level counts as a pose too.
 * - `path`: the planned path, `[[x, y], ...]` or `[{ x, y }, ...]`.
 * - `obstacles`: known obstacles, `[[x, y], ...]` or `[{ x, y, r? }, ...]` (r: radius, m).
 * - `targets`: goals or sample sites, `[[x, y], ...]` or `[{ x, y, id? }, ...]`.
 * - `bounds`: the map's extent, `[xmin, ymin, xmax, ymax]` or `{ width, height }` (from 0, 0).
 * Within a tree the latest value of each key wins, except obstacles, which are the union
 * of every node's latest list. The driven trail is drawn from the poses seen.
 */

export type NodeLiveness = 'online' | 'offline' | 'unknown';

export interface PlanStepView {
  id: string;
  label: string;
  state: string;
  child?: string;
}

export interface CommandView {
  id: string;
  serial?: number;
  verb?: string;
  state: string;
  progress: number;
  reason: string;
}

export interface HealthView {
  cycles: number;
  overruns: number;
  missed: number;
  rejected: number;
  period_ms: number;
  exec_ms: { last: number; mean: number; max: number };
}

export interface NodeView {
  tree: string;
  id: string;
  kind?: string;
  level?: number;
  parent?: string | null;
  children: string[];
  state: NodeLiveness;
  /** Why the node is offline (from its death message). */
  reason?: string;
  session?: number;
  period_ms?: number;
  command?: CommandView;
  plan?: PlanStepView[];
  health?: HealthView;
  errors: number;
  lastError?: { topic: string; reason: string };
}

export interface TreeItem {
  node: NodeView;
  children: TreeItem[];
}

export type Point = [number, number];

export interface MapView {
  pose?: { x: number; y: number; theta: number };
  trail: Point[];
  path: Point[];
  obstacles: Array<{ x: number; y: number; r?: number }>;
  targets: Array<{ x: number; y: number; id?: string }>;
  bounds: { xmin: number; ymin: number; xmax: number; ymax: number };
}

export interface TreeView {
  id: string;
  roots: TreeItem[];
  nodeCount: number;
  online: number;
  map?: MapView;
}

export interface RateView {
  topic: string;
  perSecond: number;
  total: number;
}

export interface DashboardSnapshot {
  trees: TreeView[];
  rates: RateView[];
  totalPerSecond: number;
  messages: number;
  /** Payloads that were not JSON objects (counted, otherwise ignored). */
  malformed: number;
}

export interface DashboardModelOptions {
  /** Sliding window for message rates, ms (default 5000). */
  rateWindowMs?: number;
  /** Longest driven trail kept, in points (default 2000). */
  maxTrail?: number;
}

export interface DashboardModel {
  /** Folds one message in; `now` is when it arrived (any monotonic ms). */
  ingest(topic: string, payload: string, now: number): void;
  snapshot(now: number): DashboardSnapshot;
}

/** Creates an empty model. Self-contained: see the file's comment before adding references. */
export function createDashboardModel(options: DashboardModelOptions = {}): DashboardModel {
  const windowMs = options.rateWindowMs ?? 5000;
  const maxTrail = options.maxTrail ?? 2000;
  type Obj = Record<string, unknown>;
  interface MapState {
    pose?: { x: number; y: number; theta: number };
    trail: Point[];
    path?: Point[];
    obstacles: Map<string, Array<{ x: number; y: number; r?: number }>>;
    targets?: Array<{ x: number; y: number; id?: string }>;
    bounds?: { xmin: number; ymin: number; xmax: number; ymax: number };
  }
  const trees = new Map<string, Map<string, NodeView>>();
  const maps = new Map<string, MapState>();
  const verbs = new Map<string, string>();
  const rates = new Map<string, { times: number[]; total: number }>();
  let messages = 0;
  let malformed = 0;
  let firstAt: number | undefined;

  const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

  function nodeOf(tree: string, id: string): NodeView {
    let nodes = trees.get(tree);
    if (!nodes) trees.set(tree, (nodes = new Map()));
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { tree, id, children: [], state: 'unknown', errors: 0 }));
    return n;
  }

  function point(v: unknown): Point | undefined {
    if (Array.isArray(v) && v.length >= 2 && num(v[0]) !== undefined && num(v[1]) !== undefined) return [v[0], v[1]];
    if (isObj(v) && num(v.x) !== undefined && num(v.y) !== undefined) return [v.x as number, v.y as number];
    return undefined;
  }
  function points(v: unknown): Point[] | undefined {
    if (!Array.isArray(v)) return undefined;
    const out: Point[] = [];
    for (const p of v) {
      const q = point(p);
      if (q) out.push(q);
    }
    return out;
  }
  function poseOf(values: Obj): { x: number; y: number; theta: number } | undefined {
    const src = isObj(values.pose) ? values.pose : values;
    const x = num(src.x);
    const y = num(src.y);
    if (x === undefined || y === undefined) return undefined;
    return { x, y, theta: num(src.theta) ?? 0 };
  }

  /** Reads the map keys (see the file's comment) that one node published. */
  function takeMap(tree: string, node: string, values: Obj, allowBarePose: boolean): void {
    const pose = isObj(values.pose) || allowBarePose ? poseOf(values) : undefined;
    const has = pose || 'path' in values || 'obstacles' in values || 'targets' in values || 'bounds' in values;
    if (!has) return;
    let m = maps.get(tree);
    if (!m) maps.set(tree, (m = { trail: [], obstacles: new Map() }));
    if (pose) {
      m.pose = pose;
      const last = m.trail[m.trail.length - 1];
      if (!last || Math.hypot(last[0] - pose.x, last[1] - pose.y) > 0.01) {
        m.trail.push([pose.x, pose.y]);
        if (m.trail.length > maxTrail) m.trail.splice(0, m.trail.length - maxTrail);
      }
    }
    const path = points(values.path);
    if (path) m.path = path;
    if (Array.isArray(values.obstacles)) {
      m.obstacles.set(
        node,
        values.obstacles.flatMap((o) => {
          const p = point(o);
          if (!p) return [];
          const r = isObj(o) ? num(o.r) : undefined;
          return [r === undefined ? { x: p[0], y: p[1] } : { x: p[0], y: p[1], r }];
        }),
      );
    }
    if (Array.isArray(values.targets)) {
      m.targets = values.targets.flatMap((o) => {
        const p = point(o);
        const id = isObj(o) ? str(o.id) : undefined;
        return p ? [id === undefined ? { x: p[0], y: p[1] } : { x: p[0], y: p[1], id }] : [];
      });
    }
    const b = values.bounds;
    if (Array.isArray(b) && b.length === 4 && b.every((v) => num(v) !== undefined)) m.bounds = { xmin: b[0], ymin: b[1], xmax: b[2], ymax: b[3] };
    else if (isObj(b) && num(b.width) !== undefined && num(b.height) !== undefined) m.bounds = { xmin: 0, ymin: 0, xmax: b.width as number, ymax: b.height as number };
  }

  function onState(n: NodeView, p: Obj): void {
    const state = str(p.state);
    if (state !== 'online' && state !== 'offline') return;
    n.state = state;
    n.reason = state === 'offline' ? (str(p.reason) ?? 'offline') : undefined;
    if (num(p.session) !== undefined) n.session = p.session as number;
    if (str(p.kind) !== undefined) n.kind = p.kind as string;
    if (num(p.level) !== undefined) n.level = p.level as number;
    if (p.parent === null || str(p.parent) !== undefined) n.parent = p.parent as string | null;
    if (Array.isArray(p.children)) {
      n.children = p.children.filter((c): c is string => typeof c === 'string');
      // Children named in a birth are shown before their own first message arrives.
      for (const c of n.children) {
        const child = nodeOf(n.tree, c);
        if (child.parent === undefined) child.parent = n.id;
      }
    }
    if (num(p.period_ms) !== undefined) n.period_ms = p.period_ms as number;
  }

  function onStatus(n: NodeView, p: Obj): void {
    const id = str(p.id);
    const state = str(p.state);
    if (id === undefined || state === undefined) return;
    n.command = {
      id,
      serial: num(p.serial),
      verb: verbs.get(`${n.tree}/${n.id}/${id}`) ?? (n.command?.id === id ? n.command.verb : undefined),
      state,
      progress: num(p.progress) ?? 0,
      reason: str(p.reason) ?? '',
    };
    const plan = isObj(p.plan) && Array.isArray(p.plan.steps) ? p.plan.steps : undefined;
    n.plan = plan?.filter(isObj).map((s) => ({ id: String(s.id ?? ''), label: String(s.label ?? s.id ?? ''), state: String(s.state ?? ''), ...(str(s.child) ? { child: s.child as string } : {}) }));
    if (isObj(p.detail)) takeMap(n.tree, n.id, p.detail, false);
  }

  function onHealth(n: NodeView, p: Obj): void {
    const exec = isObj(p.exec_ms) ? p.exec_ms : {};
    n.health = {
      cycles: num(p.cycles) ?? 0,
      overruns: num(p.overruns) ?? 0,
      missed: num(p.missed) ?? 0,
      rejected: num(p.rejected) ?? 0,
      period_ms: num(p.period_ms) ?? n.period_ms ?? 0,
      exec_ms: { last: num(exec.last) ?? 0, mean: num(exec.mean) ?? 0, max: num(exec.max) ?? 0 },
    };
    const c = isObj(p.command) ? p.command : undefined;
    const id = c ? str(c.id) : undefined;
    const verb = c ? str(c.verb) : undefined;
    if (id !== undefined && verb !== undefined) {
      verbs.set(`${n.tree}/${n.id}/${id}`, verb);
      if (n.command?.id === id) n.command.verb = verb;
      // Health can be ahead of the retained status (or the status was never seen).
      if (!n.command) n.command = { id, serial: num(c!.serial), verb, state: str(c!.state) ?? '', progress: 0, reason: '' };
    }
  }

  function ingest(topic: string, payload: string, now: number): void {
    const parts = topic.split('/');
    if (parts[0] !== 'strata' || parts.length < 4) return;
    const [, tree, node, channel] = parts;
    messages++;
    firstAt ??= now;
    let r = rates.get(topic);
    if (!r) rates.set(topic, (r = { times: [], total: 0 }));
    r.times.push(now);
    r.total++;
    while (r.times.length > 0 && r.times[0] <= now - windowMs) r.times.shift();
    if (payload === '') return; // a cleared retained message
    let p: unknown;
    try {
      p = JSON.parse(payload);
    } catch {
      malformed++;
      return;
    }
    if (!isObj(p)) {
      malformed++;
      return;
    }
    if (channel === 'cmd') {
      if (str(p.id) !== undefined && str(p.verb) !== undefined) verbs.set(`${tree}/${node}/${p.id as string}`, p.verb as string);
      return;
    }
    const n = nodeOf(tree, node);
    if (channel === 'state') onState(n, p);
    else if (channel === 'status') onStatus(n, p);
    else if (channel === 'health') onHealth(n, p);
    else if (channel === 'sense' && isObj(p.values)) takeMap(tree, node, p.values, true);
    else if (channel === 'error') {
      n.errors++;
      n.lastError = { topic: str(p.topic) ?? '', reason: str(p.reason) ?? '' };
    }
  }

  function treeView(id: string, nodes: Map<string, NodeView>): TreeView {
    const childrenOf = new Map<string, string[]>();
    const add = (parent: string, child: string): void => {
      const list = childrenOf.get(parent) ?? [];
      if (!list.includes(child)) list.push(child);
      childrenOf.set(parent, list);
    };
    for (const n of nodes.values()) {
      for (const c of n.children) if (nodes.has(c)) add(n.id, c);
      if (n.parent && nodes.has(n.parent)) add(n.parent, n.id);
    }
    const hasParent = new Set([...childrenOf.values()].flat());
    const seen = new Set<string>();
    // Births can disagree (a node re-parented, a broken config): each node is drawn once,
    // under the first parent that reaches it.
    const build = (nid: string): TreeItem => {
      seen.add(nid);
      const n = nodes.get(nid)!;
      const item: TreeItem = { node: { ...n, children: [...n.children] }, children: [] };
      for (const c of childrenOf.get(nid) ?? []) if (!seen.has(c)) item.children.push(build(c));
      return item;
    };
    const order = [...nodes.keys()].sort();
    const roots: TreeItem[] = [];
    for (const nid of order) if (!hasParent.has(nid) && !seen.has(nid)) roots.push(build(nid));
    // A parent cycle leaves nodes unreached: show them as roots, never hide them.
    for (const nid of order) if (!seen.has(nid)) roots.push(build(nid));
    const m = maps.get(id);
    return { id, roots, nodeCount: nodes.size, online: [...nodes.values()].filter((n) => n.state === 'online').length, map: m ? mapView(m) : undefined };
  }

  function mapView(m: MapState): MapView {
    const obstacles = [...m.obstacles.values()].flat();
    const path = m.path ?? [];
    const targets = m.targets ?? [];
    let bounds = m.bounds;
    if (!bounds) {
      const xs: number[] = [];
      const ys: number[] = [];
      const addP = (x: number, y: number): void => {
        xs.push(x);
        ys.push(y);
      };
      if (m.pose) addP(m.pose.x, m.pose.y);
      for (const [x, y] of [...m.trail, ...path]) addP(x, y);
      for (const o of [...obstacles, ...targets]) addP(o.x, o.y);
      const pad = 1;
      bounds = xs.length === 0 ? { xmin: 0, ymin: 0, xmax: 10, ymax: 10 } : { xmin: Math.min(...xs) - pad, ymin: Math.min(...ys) - pad, xmax: Math.max(...xs) + pad, ymax: Math.max(...ys) + pad };
    }
    return { pose: m.pose ? { ...m.pose } : undefined, trail: m.trail.slice(), path: path.slice(), obstacles, targets: targets.slice(), bounds: { ...bounds } };
  }

  function snapshot(now: number): DashboardSnapshot {
    const span = Math.max(1000, Math.min(windowMs, now - (firstAt ?? now)));
    const rateList: RateView[] = [];
    let total = 0;
    for (const [topic, r] of rates) {
      const inWindow = r.times.filter((t) => t > now - windowMs).length;
      const perSecond = (inWindow * 1000) / span;
      total += perSecond;
      rateList.push({ topic, perSecond, total: r.total });
    }
    rateList.sort((a, b) => b.perSecond - a.perSecond || (a.topic < b.topic ? -1 : 1));
    const treeList = [...trees.keys()].sort().map((id) => treeView(id, trees.get(id)!));
    return { trees: treeList, rates: rateList, totalPerSecond: total, messages, malformed };
  }

  return { ingest, snapshot };
}
