import { describe, expect, it } from 'vitest';
import type { Json } from '../../../src/contracts/ids.js';
import { missionKind } from '../../../nodes/mission/mission.js';
import { FakeChild, KindHarness, contextFor } from './kind-harness.js';

const OPEN_FIELD = 'configs/scenarios/open-field.yaml';

function navSense(x: number, y: number, battery: number, extra: Record<string, Json> = {}): Record<string, Json> {
  return { x, y, theta: 0, battery, charging: false, at_base: false, discovered: [], replans: 0, path: [], ...extra };
}

function setup(params: Record<string, unknown> = {}) {
  const navigator = new FakeChild('navigator');
  const ctx = contextFor(missionKind, { scenario: OPEN_FIELD, ...params }, { id: 'mission', children: ['navigator'], periodMs: 10_000, parentPeriodMs: 0, level: 4 });
  const h = new KindHarness(missionKind, ctx, { navigator });
  return { h, navigator };
}

/** Reports the navigator's command done, moving the rover to where a goto pointed. */
function finish(navigator: FakeChild, battery: number, extra: Record<string, Json> = {}): void {
  const c = navigator.command!;
  const at = c.verb === 'goto' ? { x: c.args!.x as number, y: c.args!.y as number } : { x: navigator.sense?.x as number, y: navigator.sense?.y as number };
  navigator.feel(navSense(at.x, at.y, battery, extra));
  navigator.report('done');
}

describe('mission: plan and execute', () => {
  it("makes an HTN plan for the open field's four targets and issues the first goto", () => {
    const { h, navigator } = setup();
    h.command('m1', 'explore', {});
    const out = h.step();
    expect(out.status?.state).toBe('executing');
    const steps = out.status!.plan!.steps;
    const labels = steps.map((s) => s.label);
    for (const t of ['A', 'C', 'D', 'E']) {
      expect(labels).toContain(`navigate to ${t}`);
      expect(labels).toContain(`sample ${t}`);
    }
    expect(labels.slice(-2)).toEqual(['navigate to base', 'unload samples at base']);
    expect(steps[0].state).toBe('active');
    expect(steps.slice(1).every((s) => s.state === 'pending')).toBe(true);
    expect(out.status!.plan!.scores).toHaveProperty('plan_time_s');
    // The nearest target to the start (A, by path length on the known map) comes first.
    expect(labels[0]).toBe('navigate to A');
    expect(navigator.command).toMatchObject({ id: 'm1.1', verb: 'goto', args: { label: 'A', x: 4.25, y: 12.25, tolerance: 0.3 } });
    expect(out.sense).toMatchObject({ targets_done: 0, targets_total: 4, step: 'navigate to A' });
  });

  it('advances on navigator done: goto, then sample at the target, then the next goto', () => {
    const { h, navigator } = setup();
    h.command('m2', 'explore', {});
    h.step();
    const goto = navigator.command!;
    finish(navigator, 0.97);
    h.step();
    expect(navigator.command).toMatchObject({ id: 'm2.2', verb: 'sample', args: { target: 'A', x: goto.args!.x, y: goto.args!.y } });
    finish(navigator, 0.97);
    const out = h.step();
    expect(navigator.command).toMatchObject({ id: 'm2.3', verb: 'goto' });
    expect(out.status!.plan!.steps.slice(0, 2).map((s) => s.state)).toEqual(['done', 'done']);
    expect(out.health).toMatchObject({ replans: 0 });
  });

  it('re-plans from where the rover is after a failed step, and says why', () => {
    const { h, navigator } = setup();
    h.command('m3', 'explore', {});
    h.step();
    navigator.feel(navSense(5, 3, 0.98));
    navigator.report('failed', 'gave up on A after 5 failed attempts');
    const out = h.step();
    expect(out.health).toMatchObject({ replans: 1 });
    expect(out.status?.reason).toMatch(/navigate to A failed: gave up on A after 5 failed attempts; re-planned from here/);
    expect(navigator.command).toMatchObject({ id: 'm3.2', verb: 'goto' });
    expect(out.status!.plan!.steps[0]).toMatchObject({ label: 'navigate to A', state: 'failed' });
  });

  it('skips a target after repeated failures, with the reason in the plan', () => {
    const { h, navigator } = setup();
    h.command('m3b', 'explore', { targets: ['A'] });
    h.step();
    navigator.report('failed', 'no path to A (4.25, 12.25)');
    h.step();
    expect(navigator.command).toMatchObject({ verb: 'goto', args: { label: 'A' } });
    navigator.report('failed', 'no path to A (4.25, 12.25)');
    const out = h.step();
    const steps = out.status!.plan!.steps;
    expect(steps.filter((s) => s.label === 'navigate to A').map((s) => s.state)).toEqual(['failed', 'failed']);
    expect(steps.find((s) => s.state === 'skipped')?.label).toMatch(/^skip A after 2 failures: no path/);
    expect(navigator.command).toMatchObject({ verb: 'goto', args: { label: 'base' } });
    finish(navigator, 0.9, { at_base: true });
    h.step();
    expect(h.ended).toEqual({ state: 'done', reason: 'sampled 0 of 1 targets and back at the base; skipped A' });
  });

  it('returns to charge when the battery runs low, then charges at the base and goes on', () => {
    const { h, navigator } = setup();
    h.command('m4', 'explore', {});
    h.step();
    finish(navigator, 0.97); // at A
    h.step();
    finish(navigator, 0.155); // sampled A, but the battery dropped far below the prediction
    const out = h.step();
    expect(out.health!.replans).toBeGreaterThanOrEqual(1);
    expect(out.status?.reason).toMatch(/battery 16% is below the predicted|would fail from the current state|cannot start/);
    expect(navigator.command).toMatchObject({ verb: 'goto', args: { label: 'base', tolerance: 0.35 } });
    finish(navigator, 0.15, { at_base: true });
    const charge = h.step();
    expect(navigator.command).toMatchObject({ verb: 'charge', args: { until: 0.95 } });
    expect(charge.status?.plan?.steps.find((s) => s.state === 'active')?.label).toBe('recharge');
    finish(navigator, 0.95, { at_base: true, charging: true });
    h.step();
    expect(navigator.command?.verb).toBe('goto');
    expect(navigator.command?.args?.label).not.toBe('base');
  });

  it('completes when every target is sampled and the rover is back at the base', () => {
    const { h, navigator } = setup();
    h.command('m5', 'explore', { targets: ['E', 'C'] });
    for (let i = 0; i < 20 && !h.ended; i++) {
      h.step();
      if (!h.ended) finish(navigator, 0.9, navigator.command?.args?.label === 'base' ? { at_base: true } : {});
    }
    expect(h.ended).toEqual({ state: 'done', reason: 'sampled 2 of 2 targets and back at the base' });
  });

  it('fails when the battery is exhausted away from the charger, and on unknown targets', () => {
    const { h, navigator } = setup();
    h.command('m6', 'explore', { targets: ['Q'] });
    h.step();
    expect(h.ended?.reason).toMatch(/unknown targets Q; known: A, D, C, E/);
    h.endTask();
    h.command('m7', 'explore', {});
    h.step();
    navigator.feel(navSense(10, 5, 0.01));
    h.step();
    expect(h.ended?.reason).toMatch(/battery exhausted \(1%\)/);
  });
});
