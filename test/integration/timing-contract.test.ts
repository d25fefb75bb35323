import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeKind } from '../../src/node/node-kind.js';
import { aedesTcp, uniqueTree, type TestBroker } from '../support/brokers.js';
import { startRun, treeFrom } from '../support/trees.js';

/** A planner that plans once at the start of its task and never again, and is slow to plan. */
const lazyPlanner = defineNodeKind({
  kind: 'lazy-planner',
  description: 'test kind',
  params: z.object({}),
  verbs: { go: z.object({}) },
  create: () => {
    let planned = '';
    return {
      behave: (_w, _s, input) => {
        if (!input.task) return {};
        const first = planned !== input.task.id;
        planned = input.task.id;
        return {
          status: first ? { state: 'executing', plan: { steps: [{ id: '0', label: 'wait', state: 'active' }], made_at: input.now } } : { state: 'executing' },
          health: { planning_ms: first ? 80 : 0, planning_budget_ms: 50 },
        };
      },
    };
  },
});

describe('the timing contract in health', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await aedesTcp.start();
  });
  afterAll(async () => broker?.close());

  it('reports a plan older than the re-plan interval, and planning steps over budget', async () => {
    const treeId = uniqueTree('timing');
    const yaml = `tree: ${treeId}\nstart: { id: g, verb: go }\nnodes:\n  - { id: p, kind: lazy-planner, period: 100ms, horizon: 10s, replan: 1s }\n`;
    const healths: Array<{ t: number; detail?: Record<string, unknown> }> = [];
    const run = await startRun(await treeFrom(yaml, [lazyPlanner]), broker, {
      onPublish: (t, p) => {
        if (t.endsWith('/p/health')) healths.push(JSON.parse(p));
      },
    });
    await run.sendStart();
    await run.run({ durationMs: 3500 });
    await run.stop();
    const at = (t: number) => healths.find((h) => h.t === t)!.detail!;
    expect(at(1000)).toMatchObject({ plan_age_ms: 1000, plan_stale: false, planning_over_budget: 1 });
    expect(at(2000)).toMatchObject({ plan_age_ms: 2000, plan_stale: true, stale_plans: 1 });
    expect(at(3000)).toMatchObject({ plan_age_ms: 3000, plan_stale: true, stale_plans: 1 });
  });
});
