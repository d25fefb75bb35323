import { describe, expect, it } from 'vitest';
import { builtinKinds } from '../../nodes/index.js';
import { gatewayKind } from '../../nodes/gateway/gateway-kind.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { AnyNodeKind } from '../../src/node/node-kind.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { aedesTcp } from '../support/brokers.js';
import { startRun } from '../support/trees.js';

// Until the lead registers it in nodes/index.ts, the gateway kind is added here.
const kinds = new Map<string, AnyNodeKind>(builtinKinds);
kinds.set('gateway', gatewayKind as AnyNodeKind);

describe('gateway configs', () => {
  const runDemo = async (): Promise<{ end: string; reason: string | undefined; level: number; digest: string | null }> => {
    const tree = await loadConfig('configs/gateway-demo.yaml', kinds);
    const broker = await aedesTcp.start();
    const run = await startRun(tree, broker, { clock: new VirtualClock() });
    try {
      await run.sendStart();
      const end = await run.run({ durationMs: 120_000 });
      const level = (run.nodes.get('controller')!.worldModel() as { level: number }).level;
      return { end, reason: run.rootOutcome()?.reason, level, digest: run.digest().digest };
    } finally {
      await run.stop();
      await broker.close();
    }
  };

  it('gateway-demo.yaml: the level controller fills the simulated tank through the gateway; the run ends done, the same way twice', { timeout: 60_000 }, async () => {
    const first = await runDemo();
    expect(first.end).toBe('done');
    expect(first.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(first.reason).toMatch(/^level 1\.(1[7-9]|2[0-3])\d* m held for 5 s$/);
    expect(Math.abs(first.level - 1.2)).toBeLessThanOrEqual(0.03);
    // A simulated device on the virtual clock is as reproducible as the rest of the tree.
    expect((await runDemo()).digest).toBe(first.digest);
  });

  it('gateway-serial.yaml validates: points with wire names and scaling, the real-time limit, the serial adapter', async () => {
    const tree = await loadConfig('configs/gateway-serial.yaml', kinds);
    const gw = tree.specs.find((s) => s.kind === 'gateway')!;
    expect(gw.parent).toBe('controller');
    expect(gw.params).toMatchObject({ adapter: { type: 'serial-line', baud_rate: 115200 }, watchdog_ms: 1000 });
    expect(tree.config.time).toEqual({ mode: 'real', duration: 600_000 });
  });
});
