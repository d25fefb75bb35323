import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcapRecorder, msToNs } from '../../src/tools/recording/io/mcap-recorder.js';
import { readRecording } from '../../src/tools/recording/io/read-recording.js';
import { recordFromBroker } from '../../src/tools/recording/io/record-from-broker.js';
import { replayRecording } from '../../src/tools/recording/io/replay-recording.js';
import { recordingReporter } from '../../src/tools/recording/recording-reporter.js';
import type { MqttLink } from '../../src/link/mqtt-link.js';
import { brokerFixtures, uniqueTree, type TestBroker } from '../support/brokers.js';
import { startRun, treeFrom } from '../support/trees.js';
import { Watcher } from '../support/watcher.js';

const demoYaml = (tree: string): string => readFileSync('configs/demo.yaml', 'utf8').replace(/^tree: demo$/m, `tree: ${tree}`);
const tmp = (): string => mkdtempSync(join(tmpdir(), 'strata-rec-'));
const NODES = ['cell', 'conveyor', 'arm'];

async function readAll(file: string): Promise<Array<{ topic: string; payload: string; timeNs: bigint }>> {
  const out = [];
  for await (const m of readRecording(file)) out.push({ topic: m.topic, payload: Buffer.from(m.payload).toString('utf8'), timeNs: m.timeNs });
  return out;
}

/** Deletes retained messages a test left on a (possibly shared) broker. */
async function clearRetained(link: MqttLink, tree: string): Promise<void> {
  for (const n of NODES) for (const ch of ['state', 'status']) await link.publish(`strata/${tree}/${n}/${ch}`, '', { qos: 1, retain: true });
}

describe.each(brokerFixtures())('recording and replay over $name', (fixture) => {
  let broker: TestBroker;
  let link: MqttLink;
  beforeAll(async () => {
    broker = await fixture.start();
    link = broker.link({ clientId: `replayer-${process.pid}-${Date.now()}` });
    await link.connect();
  });
  afterAll(async () => {
    await link?.end();
    await broker?.close();
  });

  it('records a run in its virtual time through the run reporter, and a replay republishes the same messages in the same order', async () => {
    const treeId = uniqueTree('rec');
    const dir = tmp();
    const reporter = recordingReporter(join(dir, 'run.mcap'), { tree: treeId });
    const published: Array<{ topic: string; payload: string; now: number }> = [];
    const run = await startRun(await treeFrom(demoYaml(treeId)), broker, {
      onPublish: (topic, payload, now) => {
        published.push({ topic, payload, now });
        reporter.onMessage!(topic, payload, now);
      },
    });
    await run.sendStart();
    expect(await run.run({ durationMs: 60_000 })).toBe('done');
    await run.stop();
    const files = await reporter.finish!(run, dir);
    expect(files).toEqual([join(dir, 'run.mcap')]);

    const recorded = await readAll(files[0]);
    expect(recorded.length).toBeGreaterThan(100);
    expect(recorded.map((m) => [m.topic, m.payload, m.timeNs])).toEqual(published.map((m) => [m.topic, m.payload, msToNs(m.now)]));
    expect(recorded.at(-1)!.timeNs).toBeGreaterThanOrEqual(13_000_000_000n);

    const replayTree = `${treeId}-replay`;
    const watcher = await Watcher.connect(broker.url, `strata/${replayTree}/#`);
    const result = await replayRecording({ file: files[0], rate: 0, asTree: replayTree, publish: (t, p, o) => link.publish(t, p, o) });
    expect(result.messages).toBe(published.length);
    await watcher.waitFor(() => watcher.seen.length >= published.length, `${published.length} replayed messages`);
    const rename = (t: string): string => t.replace(`strata/${treeId}/`, `strata/${replayTree}/`);
    expect(watcher.seen.map((m) => [m.topic, m.payload])).toEqual(published.map((m) => [rename(m.topic), m.payload]));
    expect(watcher.seen.some((m) => m.topic.endsWith('/health'))).toBe(true);
    await watcher.close();

    // status and state were republished retained: a late subscriber gets each node's last state.
    const late = await Watcher.connect(broker.url, `strata/${replayTree}/+/state`);
    for (const node of NODES) {
      const s = await late.waitFor((m) => m.topic === `strata/${replayTree}/${node}/state`, `${node} retained state`);
      expect(s.retained).toBe(true);
      expect(s.json).toMatchObject({ node, state: 'offline' });
    }
    await late.close();
    await clearRetained(link, replayTree);
    await clearRetained(link, treeId);
  });

  it('records what a broker carries, stamped with wall time, until stopped', async () => {
    const treeId = uniqueTree('recb');
    const file = join(tmp(), 'live.mcap');
    const stop = new AbortController();
    const offline = new Set<string>();
    let allOffline!: () => void;
    const ended = new Promise<void>((r) => (allOffline = r));
    let ready!: () => void;
    const subscribed = new Promise<void>((r) => (ready = r));
    const wallStart = BigInt(Date.now()) * 1_000_000n;
    const recording = recordFromBroker({
      link: broker.link({ clientId: `recorder-${process.pid}-${Date.now()}` }),
      file,
      filter: `strata/${treeId}/#`,
      signal: stop.signal,
      onReady: ready,
      onMessage: (topic, payload) => {
        if (topic.endsWith('/state') && payload.toString().includes('"offline"')) offline.add(topic);
        if (offline.size === NODES.length) allOffline();
      },
    });
    await subscribed;
    const published: Array<{ topic: string; payload: string }> = [];
    const run = await startRun(await treeFrom(demoYaml(treeId)), broker, { onPublish: (topic, payload) => published.push({ topic, payload }) });
    await run.sendStart();
    expect(await run.run({ durationMs: 60_000 })).toBe('done');
    await run.stop();
    await ended;
    stop.abort();
    const counts = await recording;
    const recorded = await readAll(file);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(recorded.length);
    // Every message the nodes published is there, each topic in publish order: MQTT
    // orders messages per publisher and QoS only, and a tree's nodes are separate
    // clients (aedes also lets QoS 0 overtake QoS 1). The recording also holds the
    // operator's command and the retained messages cleared at the start.
    const topics = new Set(published.map((m) => m.topic));
    for (const t of topics) {
      const sent = published.filter((m) => m.topic === t).map((m) => m.payload);
      const got = recorded.filter((m) => m.topic === t).map((m) => m.payload).filter((p) => p !== '');
      expect(got, t).toEqual(sent);
    }
    expect(topics.size).toBeGreaterThanOrEqual(12);
    for (let k = 1; k < recorded.length; k++) expect(recorded[k].timeNs).toBeGreaterThanOrEqual(recorded[k - 1].timeNs);
    expect(recorded[0].timeNs).toBeGreaterThanOrEqual(wallStart);
    await clearRetained(link, treeId);
  });

  it('keeps the recorded spacing scaled by the rate, and stops between messages when told', async () => {
    const file = join(tmp(), 'spaced.mcap');
    const topicBase = `strata/${uniqueTree('spaced')}/n`;
    const rec = createMcapRecorder(file);
    for (const [i, ms] of [0, 1000, 2000].entries()) rec.write(`${topicBase}/sense`, JSON.stringify({ v: 1, node: 'n', t: ms, seq: i, values: {} }), msToNs(ms));
    await rec.close();
    const watcher = await Watcher.connect(broker.url, `${topicBase}/#`);
    const arrivals: number[] = [];
    watcher.client.on('message', () => arrivals.push(performance.now()));
    const t0 = performance.now();
    const result = await replayRecording({ file, rate: 4, publish: (t, p, o) => link.publish(t, p, o) });
    expect(result).toMatchObject({ messages: 3, stopped: false });
    await watcher.waitFor(() => watcher.seen.length >= 3, 'three messages');
    // Due 0, 250 and 500 ms after the start (2 s recorded, at rate 4): none may come
    // early, and the whole takes far less than the original 2 s.
    expect(arrivals[1] - t0).toBeGreaterThanOrEqual(250);
    expect(arrivals[2] - t0).toBeGreaterThanOrEqual(500);
    expect(arrivals[2] - t0).toBeLessThan(1900);

    const stop = new AbortController();
    const stopped = await replayRecording({ file, rate: 0.01, publish: (t, p, o) => link.publish(t, p, o), signal: stop.signal, onMessage: () => stop.abort() });
    expect(stopped).toMatchObject({ messages: 1, stopped: true });
    await watcher.close();
  });
});
