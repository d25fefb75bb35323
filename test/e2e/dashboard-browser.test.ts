import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { startRunDashboard, type RunDashboard } from '../../src/dashboard/run-dashboard.js';
import { MqttLink } from '../../src/link/mqtt-link.js';
import { defineNodeKind } from '../../src/node/node-kind.js';
import { RealClock } from '../../src/time/real-clock.js';
import type { TreeRun } from '../../src/tree/tree-run.js';
import { uniqueTree, type TestBroker } from '../support/brokers.js';
import { startRun, treeFrom } from '../support/trees.js';

/** Debian's chromium package (`apt-get install -y chromium`); CI installs it. */
const CHROMIUM = '/usr/bin/chromium';

/** A leaf that drives in a circle and publishes what the map panel draws (see dashboard-model.ts). */
const circlerKind = defineNodeKind({
  kind: 'circler',
  description: 'Test leaf: publishes a pose moving on a circle, a planned path and obstacles.',
  params: z.object({}),
  verbs: {},
  create: () => ({
    behave: (_world, _scores, input) => {
      const a = input.now / 2000;
      const path = Array.from({ length: 24 }, (_, i) => [5 + 3 * Math.cos(a + i * 0.15), 4 + 3 * Math.sin(a + i * 0.15)]);
      return {
        sense: {
          pose: { x: 5 + 3 * Math.cos(a), y: 4 + 3 * Math.sin(a), theta: a + Math.PI / 2 },
          path,
          obstacles: [[1, 1], [9, 7], [5, 4], [2.5, 6.5]],
          bounds: [0, 0, 10, 8],
        },
      };
    },
  }),
});

const treeYaml = (tree: string): string => `
tree: ${tree}
start: { id: batch-1, verb: run }
nodes:
  - id: cell
    kind: sequencer
    period: 1s
    params:
      retries: 0
      steps:
        - { child: conveyor, verb: work, args: { seconds: 0.5 }, label: bring part in }
        - { child: arm, verb: work, args: { seconds: 60 }, label: pick and place }
  - { id: conveyor, kind: worker, parent: cell, period: 100ms }
  - { id: arm, kind: worker, parent: cell, period: 100ms }
  - { id: rover, kind: circler, parent: cell, period: 100ms }
`;

describe('live dashboard in headless Chromium', () => {
  let embedded: EmbeddedBroker;
  let dash: RunDashboard;
  let context: BrowserContext | undefined;
  let profile: string;

  beforeAll(async () => {
    // Not skipped when missing: a dashboard nobody can check is a failure to report.
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get update && apt-get install -y chromium) to run the dashboard's browser test`);
    }
    embedded = await startEmbeddedBroker({ anyPort: true });
    profile = mkdtempSync(join(tmpdir(), 'strata-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1360, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await context?.close();
    await dash?.close();
    await embedded?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('shows every node of a running tree online, the rover on its map, and a crashed node offline within a second', async () => {
    const treeId = uniqueTree('dash');
    dash = await startRunDashboard({ broker: embedded, tree: treeId, port: 0 });
    expect(dash.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(dash.mqttWsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);

    const broker: TestBroker = {
      name: 'aedes',
      url: embedded.url,
      link: ({ clientId, will, tap }) => new MqttLink({ clientId, will, tap, endpoint: { url: embedded.url }, reconnectMs: 100 }),
      close: async () => undefined,
    };
    const run: TreeRun = await startRun(await treeFrom(treeYaml(treeId), [circlerKind]), broker, { clock: new RealClock() });
    const ended = run.run();
    try {
      await run.sendStart();
      const page: Page = await context!.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      await page.goto(dash.url);
      const card = (node: string, state: string): string => `.node[data-tree="${treeId}"][data-node="${node}"][data-state="${state}"]`;
      for (const node of ['cell', 'conveyor', 'arm', 'rover']) await page.waitForSelector(card(node, 'online'), { timeout: 10_000 });
      await page.waitForSelector('#conn[data-conn="connected"]', { timeout: 1000 });

      // The tree is drawn as a tree: the children's cards sit in the list under the root's.
      const nested = await page.$$eval(`.tree[data-tree="${treeId}"] .tree-root > li > ul > li > .node`, (els) => els.map((e) => e.getAttribute('data-node')).sort());
      expect(nested).toEqual(['arm', 'conveyor', 'rover']);
      // The root shows its plan and the arm its running command with verb and heartbeat statistics.
      await page.waitForSelector(`${card('arm', 'online')} .st-executing`, { timeout: 10_000 });
      await page.waitForSelector(`${card('cell', 'online')} .plan li[data-step-state="active"]`, { timeout: 10_000 });
      await page.waitForSelector(`${card('arm', 'online')} .stats >> text=overruns`, { timeout: 10_000 });
      expect(await page.textContent(`${card('arm', 'online')} .verb`)).toBe('work');
      // The map panel: rover, planned path and the four obstacles.
      await page.waitForSelector('figure.map .rover', { timeout: 10_000 });
      expect(await page.locator('figure.map circle.obstacle').count()).toBe(4);
      expect(await page.locator('figure.map polyline.path').count()).toBe(1);
      // Rates per topic, e.g. the arm's heartbeat.
      await page.waitForSelector(`table.rates code >> text="${treeId}/arm/health"`, { timeout: 10_000 });

      const crashedAt = performance.now();
      run.crash('arm');
      await page.waitForSelector(card('arm', 'offline'), { timeout: 1000 });
      const latencyMs = performance.now() - crashedAt;
      expect(latencyMs).toBeLessThan(1000);
      expect(await page.textContent(`${card('arm', 'offline')} .liveness`)).toMatch(/offline: connection lost \(last will\)/);
      // The others stay online.
      expect(await page.locator(card('conveyor', 'online')).count()).toBe(1);
      await page.waitForSelector(`${card('cell', 'online')} .st-failed`, { timeout: 10_000 });
      await page.screenshot({ path: '/tmp/dashboard.png', fullPage: true });
      expect(problems).toEqual([]);
      process.stdout.write(`dashboard: arm shown offline ${latencyMs.toFixed(0)} ms after the crash\n`);
    } finally {
      run.requestStop();
      await ended;
      await run.stop();
    }
  });
});
