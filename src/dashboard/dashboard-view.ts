import type { DashboardSnapshot, MapView, NodeView, RateView, TreeItem, TreeView } from './dashboard-model.js';

/** HTML fragments for the dashboard's panels, from a model snapshot. */
export interface DashboardView {
  /** Every tree as nested lists of node cards. */
  trees(snapshot: DashboardSnapshot): string;
  /** The map panel: one SVG per tree whose nodes published a pose, path or obstacles. */
  maps(snapshot: DashboardSnapshot): string;
  /** Message rates per topic over the model's sliding window. */
  rates(snapshot: DashboardSnapshot, limit?: number): string;
}

/**
 * Creates the view: pure string building, so it is tested in Node and shipped to the
 * browser as `createDashboardView.toString()` (self-contained for that reason). Every
 * text that came over MQTT is escaped: payloads are untrusted.
 *
 * Stable hooks for tests and styling: a node card is `[data-tree][data-node]` with
 * `data-state` = online | offline | unknown; plan steps carry `data-step-state`.
 */
export function createDashboardView(): DashboardView {
  const esc = (v: unknown): string =>
    String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
  const fmt = (v: number, digits = 1): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(digits));
  const ms = (v: number): string => (v >= 1000 ? `${fmt(v / 1000)} s` : `${fmt(v, v < 1 ? 2 : 1)} ms`);

  function commandHtml(n: NodeView): string {
    const c = n.command;
    if (!c) return '<div class="cmd idle">no command</div>';
    const pct = Math.round(Math.max(0, Math.min(1, c.progress)) * 100);
    return (
      `<div class="cmd"><span class="verb">${esc(c.verb ?? 'command')}</span> <code>${esc(c.id)}</code>` +
      `<span class="st st-${esc(c.state)}">${esc(c.state)}</span>` +
      `<span class="bar" title="${pct}%"><span style="width:${pct}%"></span></span><span class="pct">${pct}%</span>` +
      (c.reason ? `<div class="reason">${esc(c.reason)}</div>` : '') +
      '</div>'
    );
  }

  function statsHtml(n: NodeView): string {
    const h = n.health;
    const period = h?.period_ms || n.period_ms;
    const parts: string[] = [];
    if (period !== undefined) parts.push(`<span>period <b>${ms(period)}</b></span>`);
    if (h) {
      parts.push(`<span>cycles <b>${h.cycles}</b></span>`);
      parts.push(`<span class="${h.overruns > 0 ? 'warn' : ''}">overruns <b>${h.overruns}</b></span>`);
      parts.push(`<span>exec <b>${ms(h.exec_ms.mean)}</b> mean, <b>${ms(h.exec_ms.max)}</b> max</span>`);
      if (h.missed > 0) parts.push(`<span class="warn">missed <b>${h.missed}</b></span>`);
      if (h.rejected > 0) parts.push(`<span class="warn">rejected <b>${h.rejected}</b></span>`);
    } else parts.push('<span class="muted">no heartbeat yet</span>');
    return `<div class="stats">${parts.join('')}</div>`;
  }

  function planHtml(n: NodeView): string {
    if (!n.plan || n.plan.length === 0) return '';
    const steps = n.plan
      .map((s) => `<li data-step-state="${esc(s.state)}"><span class="step-state">${esc(s.state)}</span> ${esc(s.label)}${s.child ? ` <span class="muted">→ ${esc(s.child)}</span>` : ''}</li>`)
      .join('');
    // Not a <details>: panels are redrawn by replacing their HTML, which would re-close it.
    return `<div class="plan"><div class="plan-title">plan, ${n.plan.length} step${n.plan.length === 1 ? '' : 's'}</div><ol>${steps}</ol></div>`;
  }

  function nodeHtml(n: NodeView): string {
    const liveness = n.state === 'offline' ? `offline${n.reason ? `: ${n.reason}` : ''}` : n.state === 'unknown' ? 'not seen yet' : 'online';
    const err = n.errors > 0 ? `<div class="err">${n.errors} rejected input${n.errors === 1 ? '' : 's'}; last on <code>${esc(n.lastError?.topic ?? '')}</code>: ${esc(n.lastError?.reason ?? '')}</div>` : '';
    return (
      `<div class="node" data-tree="${esc(n.tree)}" data-node="${esc(n.id)}" data-state="${esc(n.state)}">` +
      `<div class="head"><span class="dot"></span><span class="id">${esc(n.id)}</span>` +
      (n.kind ? `<span class="kind">${esc(n.kind)}</span>` : '') +
      (n.level !== undefined ? `<span class="level" title="level">L${esc(n.level)}</span>` : '') +
      `<span class="liveness">${esc(liveness)}</span></div>` +
      commandHtml(n) +
      statsHtml(n) +
      planHtml(n) +
      err +
      '</div>'
    );
  }

  function itemHtml(item: TreeItem): string {
    const kids = item.children.length > 0 ? `<ul>${item.children.map(itemHtml).join('')}</ul>` : '';
    return `<li>${nodeHtml(item.node)}${kids}</li>`;
  }

  function treeHtml(t: TreeView, compact: boolean): string {
    const all = t.online === t.nodeCount;
    const head = `<h2>tree <b>${esc(t.id)}</b> <span class="count ${all ? 'ok' : 'bad'}">${t.online}/${t.nodeCount} online</span></h2>`;
    if (compact) {
      const names: string[] = [];
      const walk = (items: TreeItem[]): void => items.forEach((i) => (names.push(i.node.id), walk(i.children)));
      walk(t.roots);
      return `<section class="tree dead" data-tree="${esc(t.id)}">${head}<p class="muted">every node offline: ${names.map(esc).join(', ')}</p></section>`;
    }
    return `<section class="tree" data-tree="${esc(t.id)}">${head}<ul class="tree-root">${t.roots.map(itemHtml).join('')}</ul></section>`;
  }

  function mapSvg(t: TreeView, m: MapView): string {
    const { xmin, ymin, xmax, ymax } = m.bounds;
    const w = Math.max(xmax - xmin, 1e-6);
    const h = Math.max(ymax - ymin, 1e-6);
    const size = Math.max(w, h);
    // World y points up; SVG y points down: draw at (x, -y) in a viewBox over [-ymax, -ymin].
    const P = (x: number, y: number): string => `${+x.toFixed(3)},${+(-y).toFixed(3)}`;
    const line = (pts: Array<[number, number]>, cls: string): string => (pts.length > 1 ? `<polyline class="${cls}" points="${pts.map(([x, y]) => P(x, y)).join(' ')}" vector-effect="non-scaling-stroke"/>` : '');
    const r0 = size * 0.008;
    const obstacles = m.obstacles.map((o) => `<circle class="obstacle" cx="${+o.x.toFixed(3)}" cy="${+(-o.y).toFixed(3)}" r="${+(o.r ?? r0 * 1.5).toFixed(3)}"/>`).join('');
    const targets = m.targets
      .map((g) => `<rect class="target" x="${+(g.x - r0 * 1.5).toFixed(3)}" y="${+(-g.y - r0 * 1.5).toFixed(3)}" width="${+(r0 * 3).toFixed(3)}" height="${+(r0 * 3).toFixed(3)}" transform="rotate(45 ${P(g.x, g.y).replace(',', ' ')})"><title>${esc(g.id ?? 'target')}</title></rect>`)
      .join('');
    // Heading in degrees within (-180, 180], whatever range the node publishes theta in.
    const heading = m.pose ? (((((m.pose.theta * 180) / Math.PI + 180) % 360) + 360) % 360) - 180 : 0;
    let rover = '';
    if (m.pose) {
      const s = size * 0.03;
      const deg = -heading;
      rover = `<g class="rover" transform="translate(${P(m.pose.x, m.pose.y).replace(',', ' ')}) rotate(${+deg.toFixed(2)})"><polygon points="${s},0 ${-s * 0.6},${s * 0.6} ${-s * 0.6},${-s * 0.6}"/></g>`;
    }
    const pose = m.pose ? `x ${m.pose.x.toFixed(2)} m, y ${m.pose.y.toFixed(2)} m, θ ${heading.toFixed(0)}°` : 'no pose yet';
    return (
      `<figure class="map" data-tree="${esc(t.id)}"><svg viewBox="${+xmin.toFixed(3)} ${+(-ymax).toFixed(3)} ${+w.toFixed(3)} ${+h.toFixed(3)}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="map of tree ${esc(t.id)}">` +
      `<rect class="ground" x="${+xmin.toFixed(3)}" y="${+(-ymax).toFixed(3)}" width="${+w.toFixed(3)}" height="${+h.toFixed(3)}"/>` +
      obstacles +
      line(m.trail, 'trail') +
      line(m.path, 'path') +
      targets +
      rover +
      `</svg><figcaption><span><b>${esc(t.id)}</b> · ${esc(pose)} · ${m.obstacles.length} obstacle${m.obstacles.length === 1 ? '' : 's'} · ${m.path.length} path points</span>` +
      `<span class="legend"><i class="l-trail"></i>driven <i class="l-path"></i>planned <i class="l-obst"></i>obstacle</span></figcaption></figure>`
    );
  }

  function rateRow(r: RateView): string {
    const name = r.topic.startsWith('strata/') ? r.topic.slice('strata/'.length) : r.topic;
    return `<tr><td><code>${esc(name)}</code></td><td class="num">${r.perSecond.toFixed(1)}</td><td class="num">${r.total}</td></tr>`;
  }

  return {
    trees(snapshot) {
      if (snapshot.trees.length === 0) return '<p class="empty">Waiting for nodes… (no retained birth on <code>strata/+/+/state</code> yet)</p>';
      // Trees left behind on a shared broker (retained deaths) shrink to one line below the live ones.
      const live = snapshot.trees.filter((t) => t.online > 0);
      const dead = snapshot.trees.filter((t) => t.online === 0);
      if (live.length === 0) return dead.map((t) => treeHtml(t, false)).join('');
      return [...live.map((t) => treeHtml(t, false)), ...dead.map((t) => treeHtml(t, true))].join('');
    },
    maps(snapshot) {
      const withMap = snapshot.trees.filter((t) => t.map);
      if (withMap.length === 0) {
        return '<p class="empty">No node publishes a pose, path or obstacles. A node draws here by putting <code>pose {x, y, theta}</code>, <code>path [[x, y], …]</code>, <code>obstacles [[x, y], …]</code> in its sense values or status detail.</p>';
      }
      return withMap.map((t) => mapSvg(t, t.map!)).join('');
    },
    rates(snapshot, limit = 40) {
      if (snapshot.rates.length === 0) return '<p class="empty">No messages yet.</p>';
      const rows = snapshot.rates.slice(0, limit).map(rateRow).join('');
      const more = snapshot.rates.length > limit ? `<tr><td colspan="3" class="muted">… and ${snapshot.rates.length - limit} quieter topics</td></tr>` : '';
      return `<table class="rates"><thead><tr><th>topic</th><th class="num">msg/s</th><th class="num">total</th></tr></thead><tbody>${rows}${more}</tbody></table>`;
    },
  };
}
