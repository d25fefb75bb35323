import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { uniqueTree } from '../support/brokers.js';
import { strata } from '../support/cli.js';
import { freePort, Mosquitto } from '../support/mosquitto-broker.js';
import { cellTree, launch, Trace, writeTree, type Launched } from '../support/mosquitto-launch.js';
import { makeTestCertificates } from '../support/tls-certs.js';
import { treeFrom } from '../support/trees.js';
import { writeSecurityFiles } from '../../src/security/io/security-files.js';

interface Secrets {
  users: Record<string, string>;
}

/** `strata acl` on a fresh tree: returns the config path, the output dir and the secrets. */
async function aclFor(tree: string, port: number): Promise<{ config: string; dir: string; secrets: Secrets; snippet: string }> {
  const config = writeTree(cellTree(tree, { conveyorS: 0.5, armS: 0.5 }));
  const dir = mkdtempSync(join(tmpdir(), 'strata-acl-'));
  const r = await strata(['acl', config, '--out', dir, '--port', String(port)]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/5 identities/);
  return { config, dir, secrets: JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')), snippet: readFileSync(join(dir, 'mosquitto.conf'), 'utf8') };
}

const connectRefused = async (url: string, o: mqtt.IClientOptions): Promise<string> => {
  try {
    const c = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...o });
    await c.endAsync(true);
    return 'connected';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('security: credentials and the ACL derived from the tree', () => {
  let running: Launched | undefined;
  let broker: Mosquitto | undefined;
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    if (running) expect(await running.stop()).toBe(0);
    await broker?.stop();
    running = undefined;
    broker = undefined;
  });

  /** Runs the mission as the operator, after a node identity tried to command the root and a leaf. */
  async function attackThenRun(url: string, tree: string, secrets: Secrets, tls: mqtt.IClientOptions = {}): Promise<Trace> {
    const trace = await Trace.connect(url, tree, { username: 'viewer', password: secrets.users.viewer, ...tls });
    closers.push(() => trace.close());
    for (const n of ['cell', 'conveyor', 'arm']) await trace.waitFor((m) => m.topic === `strata/${tree}/${n}/state` && m.json?.state === 'online', `${n} birth`);
    // A compromised leaf (valid credentials, wrong role) commands the root and its sibling.
    for (const [node, id] of [['cell', 'evil-root'], ['conveyor', 'evil-leaf']]) {
      const evil = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, username: 'arm', password: secrets.users.arm, clientId: 'evil-arm', ...tls });
      // mosquitto acknowledges and drops a refused publish (MQTT 3.1.1 has no way to say no); aedes closes the connection.
      const closed = new Promise<void>((r) => evil.once('close', () => r()));
      await Promise.race([evil.publishAsync(`strata/${tree}/${node}/cmd`, JSON.stringify({ v: 1, id, serial: 1, verb: 'run', from: 'operator' }), { qos: 1 }), closed]);
      await evil.endAsync(true);
    }
    const op = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, username: 'operator', password: secrets.users.operator, ...tls });
    await op.publishAsync(`strata/${tree}/cell/cmd`, JSON.stringify({ v: 1, id: 'm1', serial: 1, verb: 'run', from: 'operator' }), { qos: 1 });
    await op.endAsync();
    const end = await trace.waitFor((m) => m.topic === `strata/${tree}/cell/status` && ['done', 'failed'].includes(m.json?.state), 'mission end', 30_000);
    expect(end.json).toMatchObject({ id: 'm1', state: 'done' });
    expect(trace.msgs.filter((m) => String(m.json?.id).startsWith('evil'))).toEqual([]);
    expect(trace.msgs.filter((m) => m.channel === 'cmd').every((m) => !String(m.json?.id).startsWith('evil'))).toBe(true);
    return trace;
  }

  it('mosquitto with the files `strata acl` writes: strangers and wrong passwords are refused, a leaf cannot command the root or a sibling, the mission runs', async () => {
    const port = await freePort();
    const tree = uniqueTree('acl-mosq');
    const { config, dir, secrets, snippet } = await aclFor(tree, port);
    broker = await Mosquitto.start({ port, snippet });
    const url = `mqtt://127.0.0.1:${port}`;
    expect(await connectRefused(url, {})).toMatch(/Not authorized|Bad username/i);
    expect(await connectRefused(url, { username: 'arm', password: 'guess' })).toMatch(/Not authorized|Bad username/i);
    expect(await connectRefused(url, { username: 'operator', password: secrets.users.operator })).toBe('connected');
    running = launch([config, '--broker', url, '--secrets', join(config, '..', 'none.json')]);
    expect(await running.exited).toBe(1); // a missing secrets file is an error a person can act on
    expect(running.out).toMatch(/cannot read the secrets file .*none\.json.*strata acl/);
    running = launch([config, '--broker', url, '--secrets', join(dir, 'secrets.json')]);
    await attackThenRun(url, tree, secrets);
    await broker.waitForLog(new RegExp(`Denied PUBLISH from evil-arm .*strata/${tree}/cell/cmd`));
    await broker.waitForLog(new RegExp(`Denied PUBLISH from evil-arm .*strata/${tree}/conveyor/cmd`));
  });

  it('the embedded broker enforces the same rules and logs who was refused, on what topic, and why', async () => {
    const tree = uniqueTree('acl-aedes');
    const { config, dir, secrets } = await aclFor(tree, 0);
    running = launch([config, '--port', '0', '--secrets', join(dir, 'secrets.json')]);
    const [, url] = await running.waitFor(/broker (mqtt:\/\/\S+) \(ACL enforced\)/);
    expect(await connectRefused(url, {})).toMatch(/Not authorized|Bad username/i);
    expect(await connectRefused(url, { username: 'arm', password: 'guess' })).toMatch(/Bad username|Not authorized/i);
    await attackThenRun(url, tree, secrets);
    await running.waitFor(/refused publish .*conveyor\/cmd/);
    const refused = running.out.split('\n').filter((l) => l.includes('refused publish')).map((l) => JSON.parse(l));
    expect(refused.map((r) => [r.user, r.client, r.topic])).toEqual([
      ['arm', 'evil-arm', `strata/${tree}/cell/cmd`],
      ['arm', 'evil-arm', `strata/${tree}/conveyor/cmd`],
    ]);
    expect(refused[0].reason).toMatch(/may publish only to/);
    expect(running.out).toMatch(/refused connection .*wrong password/);
    // A node identity may not read other nodes' commands either.
    const nosy = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, username: 'conveyor', password: secrets.users.conveyor });
    const denied = await nosy.subscribeAsync(`strata/${tree}/arm/cmd`, { qos: 1 }).then(
      (granted) => granted[0].qos,
      (err: Error & { packet?: { granted?: number[] } }) => err.packet?.granted?.[0],
    );
    expect(denied).toBe(128);
    await running.waitFor(/refused subscription by \\"conveyor\\".*arm\/cmd/);
    await nosy.endAsync();
  });

  it('TLS: nodes and the operator reach a mosquitto over mqtts:// with a CA the test made; a client that does not trust it is refused', async () => {
    const certs = makeTestCertificates();
    const port = await freePort();
    const tree = uniqueTree('acl-tls');
    const { config, dir, secrets, snippet } = await aclFor(tree, port);
    broker = await Mosquitto.start({ port, snippet: `${snippet}cafile ${certs.caFile}\ncertfile ${certs.certFile}\nkeyfile ${certs.keyFile}\n`, scheme: 'mqtts' });
    const url = `mqtts://127.0.0.1:${port}`;
    expect(await connectRefused(url, { username: 'operator', password: secrets.users.operator })).toMatch(/self[- ]signed|unable to verify|certificate/i);
    running = launch([config, '--broker', url, '--ca', certs.caFile, '--secrets', join(dir, 'secrets.json')]);
    await attackThenRun(url, tree, secrets, { ca: certs.ca });
  });

  it('our own PBKDF2-SHA512 password file (used when mosquitto_passwd is missing) is accepted by mosquitto', async () => {
    const port = await freePort();
    const tree = await treeFrom(cellTree(uniqueTree('pbkdf2')));
    const w = writeSecurityFiles(tree, mkdtempSync(join(tmpdir(), 'strata-acl-')), { port, useMosquittoPasswd: false });
    expect(w.hashedWith).toBe('pbkdf2');
    expect(readFileSync(w.passwordFile, 'utf8')).toMatch(/^cell:\$7\$101\$/);
    broker = await Mosquitto.start({ port, snippet: readFileSync(w.configFile, 'utf8') });
    const url = `mqtt://127.0.0.1:${port}`;
    expect(await connectRefused(url, { username: 'arm', password: w.secrets.users.arm })).toBe('connected');
    expect(await connectRefused(url, { username: 'arm', password: w.secrets.users.cell })).toMatch(/Not authorized|Bad username/i);
  });
});
