import { describe, expect, it } from 'vitest';
import { dashboardMain, type PageElement, type PageEnv, type PageMqttClient } from '../../../src/dashboard/dashboard-main.js';
import { createDashboardModel } from '../../../src/dashboard/dashboard-model.js';
import { createDashboardView } from '../../../src/dashboard/dashboard-view.js';

/** A fake browser: elements, an MQTT client whose events the test fires, and a manual clock. */
function fakePage(config: PageEnv['config']) {
  const elements = new Map<string, PageElement & { attrs: Record<string, string>; writes: number }>();
  for (const id of ['trees', 'maps', 'rates', 'total', 'conn']) {
    const el = {
      attrs: {} as Record<string, string>,
      writes: 0,
      html: '',
      textContent: '' as string | null,
      get innerHTML() {
        return this.html;
      },
      set innerHTML(v: string) {
        this.html = v;
        this.writes++;
      },
      setAttribute(name: string, value: string) {
        this.attrs[name] = value;
      },
    };
    elements.set(id, el);
  }
  const handlers = new Map<string, (...a: unknown[]) => void>();
  const subscribed: string[] = [];
  const timers: Array<{ at: number; fn: () => void }> = [];
  let now = 0;
  const connected: string[] = [];
  const client: PageMqttClient = {
    on: ((event: string, fn: (...a: unknown[]) => void) => handlers.set(event, fn)) as PageMqttClient['on'],
    subscribe: (topics: string[]) => subscribed.push(...topics),
  };
  const env: PageEnv = {
    config,
    connect: (url) => {
      connected.push(url);
      return client;
    },
    element: (id) => elements.get(id) ?? null,
    origin: 'ws://127.0.0.1:7070',
    now: () => now,
    later: (ms, fn) => timers.push({ at: now + ms, fn }),
    every: () => undefined,
    decode: (b) => Buffer.from(b).toString('utf8'),
    createModel: createDashboardModel,
    createView: createDashboardView,
  };
  const advance = (ms: number): void => {
    now += ms;
    const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
    for (const t of due) timers.splice(timers.indexOf(t), 1);
    for (const t of due) t.fn();
  };
  const fire = (event: string, ...args: unknown[]): void => handlers.get(event)!(...args);
  return { env, elements, subscribed, connected, advance, fire };
}

describe('dashboard page wiring', () => {
  it('connects to the bridge on its own server, subscribes to one tree, and redraws a node going offline', () => {
    const page = fakePage({ broker: '/mqtt', tree: 'demo' });
    dashboardMain(page.env);
    expect(page.connected).toEqual(['ws://127.0.0.1:7070/mqtt']);
    expect(page.elements.get('conn')!.attrs['data-conn']).toBe('connecting');
    page.fire('connect');
    expect(page.elements.get('conn')!.attrs['data-conn']).toBe('connected');
    expect(page.subscribed).toEqual(['strata/demo/+/state', 'strata/demo/+/status', 'strata/demo/+/health', 'strata/demo/+/sense', 'strata/demo/+/error', 'strata/demo/+/cmd']);

    page.fire('message', 'strata/demo/arm/state', Buffer.from(JSON.stringify({ v: 1, node: 'arm', state: 'online', session: 1 })));
    page.advance(100);
    expect(page.elements.get('trees')!.innerHTML).toContain('data-node="arm" data-state="online"');
    // A burst of messages is drawn once, 100 ms after the first.
    const writes = page.elements.get('trees')!.writes;
    page.fire('message', 'strata/demo/arm/state', Buffer.from(JSON.stringify({ v: 1, node: 'arm', state: 'offline', session: 1 })));
    page.fire('message', 'strata/demo/arm/health', Buffer.from('{}'));
    page.advance(99);
    expect(page.elements.get('trees')!.writes).toBe(writes);
    page.advance(1);
    expect(page.elements.get('trees')!.innerHTML).toContain('data-node="arm" data-state="offline"');
    expect(page.elements.get('trees')!.writes).toBe(writes + 1);

    page.fire('close');
    expect(page.elements.get('conn')!.attrs['data-conn']).toBe('disconnected');
  });

  it('uses an absolute WebSocket URL as given and follows every tree without --tree', () => {
    const page = fakePage({ broker: 'ws://127.0.0.1:9001/mqtt' });
    dashboardMain(page.env);
    page.fire('connect');
    expect(page.connected).toEqual(['ws://127.0.0.1:9001/mqtt']);
    expect(page.subscribed[0]).toBe('strata/+/+/state');
  });
});
