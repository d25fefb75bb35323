import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTree } from '../support/brokers.js';
import { Mosquitto } from '../support/mosquitto-broker.js';
import { cellTree, checkCommands, launch, Trace, writeTree, type Launched } from '../support/mosquitto-launch.js';

/**
 * Fault injection over processes: `strata launch` runs a demo-like cell (one
 * sequencer, two workers, real time) against a mosquitto this suite starts with its
 * own config and port. Each case kills something mid-mission and checks that the
 * mission completes (or fails with a reason), and that the trace shows no command
 * executed twice and none silently lost.
 */
describe('faults over processes and a mosquitto of our own', () => {
  let broker: Mosquitto;
  let running: Launched | undefined;
  let trace: Trace | undefined;

  beforeAll(async () => {
    broker = await Mosquitto.start();
  });
  afterAll(async () => {
    await broker?.stop();
  });
  afterEach(async () => {
    await trace?.close();
    if (running) expect(await running.stop()).toBe(0);
    running = undefined;
    trace = undefined;
  });

  const stepIs = (tree: string, node: string, idPrefix: string, state: string) => (m: { topic: string; json: any }) =>
    m.topic === `strata/${tree}/${node}/status` && String(m.json?.id).startsWith(idPrefix) && m.json?.state === state;
  const birth = (tree: string, node: string) => (m: { topic: string; json: any }) => m.topic === `strata/${tree}/${node}/state` && m.json?.state === 'online';

  async function start(tree: string, o: Parameters<typeof cellTree>[1] = {}): Promise<{ tree: string; t: Trace; l: Launched }> {
    trace = await Trace.connect(broker.url, tree);
    running = launch([writeTree(cellTree(tree, o)), '--broker', broker.url, '--grace', '2000']);
    for (const n of ['cell', 'conveyor', 'arm']) await trace.waitFor(birth(tree, n), `${n} birth`);
    return { tree, t: trace, l: running };
  }

  it('a worker killed with SIGKILL: the will marks it offline, the parent fails its step at once and retries it after the restart', async () => {
    const { tree, t, l } = await start(uniqueTree('kill-worker'));
    await t.command(tree, 'cell', 'm1', 1);
    await t.waitFor(stepIs(tree, 'arm', 'm1.1.0', 'executing'), 'arm executing step 1');
    const oldPid = l.pid('arm');
    const mark = t.msgs.length;
    process.kill(oldPid, 'SIGKILL');
    const will = await t.waitFor((m) => m.topic === `strata/${tree}/arm/state` && m.json?.state === 'offline', 'arm last will', 10_000, mark);
    expect(will.json.reason).toMatch(/last will/);
    // The parent learns it from the will at once: its sequencer retries the step with a new command id.
    const retry = await t.waitFor((m) => m.topic === `strata/${tree}/arm/cmd` && m.json?.id !== 'm1.1.0', 'retry command', 10_000, mark);
    expect(retry.json.from).toBe('cell');
    await l.waitFor(new RegExp(`node arm pid (?!${oldPid}\\b)\\d+`));
    const reborn = await t.waitFor((m) => birth(tree, 'arm')(m) && m.i > will.i, 'arm rebirth', 15_000);
    expect(reborn.json.session).not.toBe(will.json.session);
    const done = await t.waitFor((m) => m.topic === `strata/${tree}/cell/status` && ['done', 'failed'].includes(m.json?.state), 'mission end', 30_000);
    expect(done.json).toMatchObject({ id: 'm1', state: 'done' });
    const armRuns = t.msgs.filter(stepIs(tree, 'arm', 'm1.1.', 'done'));
    expect(armRuns).toHaveLength(1);
    expect(checkCommands(t.msgs)).toEqual([]);
  });

  it('the sequencer killed with SIGKILL: the operator sees the will, the restarted root takes a new command and the mission completes', async () => {
    const { tree, t, l } = await start(uniqueTree('kill-root'));
    await t.command(tree, 'cell', 'm1', 1);
    await t.waitFor(stepIs(tree, 'arm', 'm1.1.0', 'executing'), 'arm executing');
    const oldPid = l.pid('cell');
    const mark = t.msgs.length;
    process.kill(oldPid, 'SIGKILL');
    const will = await t.waitFor((m) => m.topic === `strata/${tree}/cell/state` && m.json?.state === 'offline', 'cell last will', 10_000, mark);
    const reborn = await t.waitFor((m) => birth(tree, 'cell')(m) && m.i > will.i, 'cell rebirth', 15_000);
    expect(reborn.json.session).not.toBe(will.json.session);
    // A new operator session: serials restart, the root must not take it for a duplicate.
    await t.command(tree, 'cell', 'm2', 1, 'run', 2);
    const end = await t.waitFor((m) => m.topic === `strata/${tree}/cell/status` && m.json?.id === 'm2' && ['done', 'failed'].includes(m.json?.state), 'm2 end', 40_000);
    expect(end.json.state).toBe('done');
    expect(checkCommands(t.msgs.filter((m) => m.i > reborn.i))).toEqual([]);
    const received = t.msgs.filter((m) => m.channel === 'status' && m.json?.state === 'received');
    expect(new Set(received.map((m) => `${m.node}/${m.json.id}/${m.json.serial}`)).size).toBe(received.length);
  });

  it('the broker restarted mid-mission: every node reconnects and re-announces its birth, and the mission completes with no command run twice', async () => {
    const { tree, t, l } = await start(uniqueTree('broker-restart'), { armS: 5 });
    await t.command(tree, 'cell', 'm1', 1);
    await t.waitFor(stepIs(tree, 'arm', 'm1.1.0', 'executing'), 'arm executing');
    const mark = t.msgs.length;
    await broker.restart();
    for (const n of ['cell', 'conveyor', 'arm']) await t.waitFor((m) => birth(tree, n)(m) && m.i >= mark, `${n} birth again`, 20_000);
    const end = await t.waitFor((m) => m.topic === `strata/${tree}/cell/status` && ['done', 'failed'].includes(m.json?.state), 'mission end', 40_000);
    expect(end.json).toMatchObject({ id: 'm1', state: 'done' });
    // Same sessions: a reconnect is not a restart, so no step was retried. The parent may
    // send its unfinished command again after the child's re-birth, but with the same id
    // and serial: one command, run once.
    const armCmds = t.msgs.filter((m) => m.channel === 'cmd' && m.node === 'arm');
    expect(new Set(armCmds.map((m) => `${m.json.id}#${m.json.serial}`))).toEqual(new Set(['m1.1.0#' + armCmds[0].json.serial]));
    expect(t.msgs.filter(stepIs(tree, 'arm', 'm1.1.0', 'done'))).toHaveLength(1);
    expect(checkCommands(t.msgs)).toEqual([]);
    expect(l.starts.length).toBe(3);
  });

  it('a --group shares one process: killing it takes both workers down, the restart brings both back, and stopping launch says goodbye cleanly', async () => {
    const tree = uniqueTree('group');
    trace = await Trace.connect(broker.url, tree);
    const t = trace;
    running = launch([writeTree(cellTree(tree, { armS: 2 })), '--broker', broker.url, '--group', 'conveyor,arm']);
    const l = running;
    for (const n of ['cell', 'conveyor', 'arm']) await t.waitFor(birth(tree, n), `${n} birth`);
    expect(l.pid('conveyor')).toBe(l.pid('arm'));
    expect(l.pid('cell')).not.toBe(l.pid('arm'));
    await t.command(tree, 'cell', 'm1', 1);
    await t.waitFor(stepIs(tree, 'arm', 'm1.1.0', 'executing'), 'arm executing');
    const mark = t.msgs.length;
    process.kill(l.pid('arm'), 'SIGKILL');
    for (const n of ['conveyor', 'arm']) await t.waitFor((m) => m.topic === `strata/${tree}/${n}/state` && m.json?.state === 'offline', `${n} will`, 10_000, mark);
    await t.waitFor((m) => m.i > mark && birth(tree, 'conveyor')(m), 'conveyor back', 20_000, mark);
    const end = await t.waitFor((m) => m.topic === `strata/${tree}/cell/status` && ['done', 'failed'].includes(m.json?.state), 'mission end', 30_000);
    expect(end.json.state).toBe('done');
    expect(checkCommands(t.msgs)).toEqual([]);
    const stopMark = t.msgs.length;
    expect(await l.stop()).toBe(0);
    running = undefined;
    for (const n of ['cell', 'conveyor', 'arm']) {
      const off = await t.waitFor((m) => m.topic === `strata/${tree}/${n}/state` && m.json?.state === 'offline', `${n} goodbye`, 10_000, stopMark);
      expect(off.json.reason).toMatch(/stopped by signal/);
    }
    expect(l.out).toMatch(/launch: all stopped/);
  });

  it('the launcher itself killed with SIGKILL: its children see their pipe close, stop safely with that reason, and none is left running', async () => {
    const tree = uniqueTree('kill-launcher');
    trace = await Trace.connect(broker.url, tree);
    const t = trace;
    running = launch([writeTree(cellTree(tree, { armS: 5 })), '--broker', broker.url, '--group', 'conveyor,arm']);
    const l = running;
    for (const n of ['cell', 'conveyor', 'arm']) await t.waitFor(birth(tree, n), `${n} birth`);
    await t.command(tree, 'cell', 'm1', 1);
    await t.waitFor(stepIs(tree, 'arm', 'm1.1.0', 'executing'), 'arm executing');
    const pids = [l.pid('cell'), l.pid('arm')];
    const mark = t.msgs.length;
    l.proc.kill('SIGKILL');
    expect(await l.exited).toBeNull();
    running = undefined;
    for (const n of ['cell', 'conveyor', 'arm']) {
      const off = await t.waitFor((m) => m.topic === `strata/${tree}/${n}/state` && m.json?.state === 'offline', `${n} offline`, 10_000, mark);
      // Its own goodbye, not the broker's last will: the node stopped itself.
      expect(off.json.reason).toMatch(/the launcher is gone/);
    }
    // The running step ends with a terminal status that says why: `failed` if the arm saw
    // its own pipe close first, `aborted` if it heard of its parent's goodbye first.
    const armEnd = await t.waitFor(
      (m) => m.topic === `strata/${tree}/arm/status` && m.json?.id === 'm1.1.0' && ['failed', 'aborted'].includes(m.json?.state),
      'arm step ended',
      10_000,
      mark,
    );
    expect(armEnd.json.reason).toMatch(/launcher is gone/);
    // Each process exits after its goodbye. They are not our children, so no exit event
    // reaches us: check for them until they are gone (bounded).
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = performance.now() + 10_000;
    while (pids.some(alive) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(pids.filter(alive)).toEqual([]);
  });

  // A command published while its target is cut off from a restarted broker used to be
  // lost: the child comes back with the same session. The parent now sends an unfinished
  // command again (same id and serial) when the child re-announces its birth.
  it('a command sent while its target was cut off by a broker restart still reaches it once the target is back', async () => {
    const { tree, t, l } = await start(uniqueTree('lost-cmd'), { conveyorS: 2, armS: 1 });
    await t.command(tree, 'cell', 'm1', 1);
    await t.waitFor(stepIs(tree, 'conveyor', 'm1.0.0', 'executing'), 'conveyor executing');
    const arm = l.pid('arm');
    process.kill(arm, 'SIGSTOP'); // the arm cannot reconnect until we let it
    try {
      const mark = t.msgs.length;
      await broker.restart();
      const sent = await t.waitFor((m) => m.i >= mark && m.topic === `strata/${tree}/arm/cmd` && m.json?.id === 'm1.1.0', 'cell commands the arm', 20_000, mark);
      process.kill(arm, 'SIGCONT');
      await t.waitFor((m) => m.i > sent.i && birth(tree, 'arm')(m), 'arm back (same session)', 20_000, sent.i);
      await t.waitFor((m) => m.i > sent.i && m.topic === `strata/${tree}/arm/status` && m.json?.id === 'm1.1.0', 'arm acknowledges m1.1.0', 8000, sent.i);
    } finally {
      process.kill(arm, 'SIGCONT');
    }
  });
});
