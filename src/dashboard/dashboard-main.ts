import type { DashboardModel, DashboardModelOptions } from './dashboard-model.js';
import type { DashboardView } from './dashboard-view.js';

/** What the server tells the page (embedded in it as JSON). */
export interface PageConfig {
  /** MQTT over WebSocket: an absolute ws(s):// URL, or a path on the page's own server (the bridge). */
  broker: string;
  /** Only this tree; all trees when absent. */
  tree?: string;
}

/** The few things the page needs from a browser MQTT client (mqtt.js's browser bundle). */
export interface PageMqttClient {
  on(event: 'connect' | 'close' | 'offline' | 'reconnect', fn: () => void): unknown;
  on(event: 'error', fn: (err: { message: string }) => void): unknown;
  on(event: 'message', fn: (topic: string, payload: Uint8Array) => void): unknown;
  subscribe(topics: string[], opts: { qos: 0 | 1 }): unknown;
}

/** A panel's element: the page only ever replaces its content or sets an attribute. */
export interface PageElement {
  innerHTML: string;
  textContent: string | null;
  setAttribute(name: string, value: string): void;
}

/** The browser, injected, so this wiring runs in Node tests with fakes and reads no clock itself. */
export interface PageEnv {
  config: PageConfig;
  connect(url: string): PageMqttClient;
  element(id: string): PageElement | null;
  /** The page's own `ws(s)://host` (for a broker path on the same server). */
  origin: string;
  now(): number;
  later(ms: number, fn: () => void): void;
  every(ms: number, fn: () => void): void;
  decode(bytes: Uint8Array): string;
  createModel(options?: DashboardModelOptions): DashboardModel;
  createView(): DashboardView;
}

/**
 * Connects the page to the broker and keeps the panels drawn. Shipped to the browser as
 * `dashboardMain.toString()`, so it is self-contained. Redraws at most every 100 ms after
 * messages, and every second for the rates; a panel's HTML is only replaced when it changed.
 */
export function dashboardMain(env: PageEnv): { redraw(): void } {
  const model = env.createModel();
  const view = env.createView();
  const url = /^wss?:\/\//.test(env.config.broker) ? env.config.broker : env.origin + env.config.broker;
  const last = new Map<string, string>();
  const put = (id: string, html: string): void => {
    if (last.get(id) === html) return;
    const el = env.element(id);
    if (!el) return;
    el.innerHTML = html;
    last.set(id, html);
  };
  const setConn = (state: string, text: string): void => {
    const el = env.element('conn');
    if (!el) return;
    el.setAttribute('data-conn', state);
    el.textContent = text;
  };

  let pending = false;
  function redraw(): void {
    pending = false;
    const snap = model.snapshot(env.now());
    put('trees', view.trees(snap));
    put('maps', view.maps(snap));
    put('rates', view.rates(snap));
    const total = env.element('total');
    if (total) total.textContent = `${snap.totalPerSecond.toFixed(1)} msg/s · ${snap.messages} messages`;
  }
  const soon = (): void => {
    if (pending) return;
    pending = true;
    env.later(100, redraw);
  };

  setConn('connecting', `connecting to ${url}…`);
  const client = env.connect(url);
  const tree = env.config.tree ?? '+';
  // cmd is followed only to name a command's verb and count its rate.
  client.on('connect', () => {
    setConn('connected', `connected to ${url}`);
    client.subscribe(
      ['state', 'status', 'health', 'sense', 'error', 'cmd'].map((ch) => `strata/${tree}/+/${ch}`),
      { qos: 0 },
    );
  });
  client.on('reconnect', () => setConn('connecting', `reconnecting to ${url}…`));
  client.on('close', () => setConn('disconnected', `disconnected from ${url}; retrying`));
  client.on('error', (err) => setConn('disconnected', `${url}: ${err.message}`));
  client.on('message', (topic, payload) => {
    model.ingest(topic, env.decode(payload), env.now());
    soon();
  });
  env.every(1000, redraw);
  redraw();
  return { redraw };
}
