import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { attachWebSocketListener } from '../../src/broker/websocket-listener.js';
import { startDashboard } from '../../src/dashboard/io/dashboard-server.js';
import { strata } from '../support/cli.js';

/** GET with a chosen Host header (fetch does not let a test set it). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Subscribes over one client and waits for a message on `topic`. */
function nextMessage(client: MqttClient, topic: string): Promise<string> {
  return new Promise((resolve) => {
    client.on('message', (t, p) => {
      if (t === topic) resolve(p.toString());
    });
  });
}

describe('dashboard server and WebSocket listener', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ anyPort: true });
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('lets an MQTT client over WebSocket talk with a TCP client through the embedded broker', async () => {
    const listener = await attachWebSocketListener(broker);
    expect(listener.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    const ws = await connectAsync(listener.url, { reconnectPeriod: 0 });
    const tcp = await connectAsync(broker.url, { reconnectPeriod: 0 });
    await ws.subscribeAsync('strata/ws-test/+/state');
    const got = nextMessage(ws, 'strata/ws-test/a/state');
    await tcp.publishAsync('strata/ws-test/a/state', '{"state":"online"}', { qos: 1 });
    expect(await got).toBe('{"state":"online"}');
    await ws.endAsync();
    await tcp.endAsync();
    await listener.close();
  });

  it('refuses WebSockets opened by pages of other sites, and binding beyond loopback', async () => {
    const listener = await attachWebSocketListener(broker);
    const status = await new Promise<number>((resolve, reject) => {
      const sock = new WebSocket(listener.url, 'mqtt', { origin: 'https://evil.example' });
      sock.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      sock.on('open', () => reject(new Error('a cross-site WebSocket was accepted')));
      sock.on('error', () => undefined);
    });
    expect(status).toBe(401);
    await listener.close();
    await expect(attachWebSocketListener(broker, { host: '0.0.0.0' })).rejects.toThrow(/only binds to loopback/);
  });

  it('serves the page, a script that compiles, and the mqtt.js browser bundle; loopback Host names only', async () => {
    const dash = await startDashboard({ mqttWsUrl: 'ws://127.0.0.1:9/mqtt', tree: 'demo</script>', port: 0 });
    const page = await get(dash.url);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    expect(page.body).toContain('"broker":"ws://127.0.0.1:9/mqtt"');
    expect(page.body).not.toContain('demo</script>'); // config cannot close its script element
    const app = await get(`${dash.url}app.js`);
    expect(app.status).toBe(200);
    expect(() => new Function(app.body)).not.toThrow();
    const bundle = await get(`${dash.url}mqtt.min.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
    expect(bundle.body).toMatch(/var mqtt=/);
    expect((await get(dash.url, { host: 'evil.example:80' })).status).toBe(421);
    expect((await get(dash.url, {}, 'POST')).status).toBe(405);
    expect((await get(`${dash.url}nope`)).status).toBe(404);
    await dash.close();
    await expect(startDashboard({ mqttWsUrl: 'mqtt://127.0.0.1:1883' })).rejects.toThrow(/not a WebSocket URL/);
  });

  it('bridges the page to a broker without a WebSocket listener', async () => {
    const dash = await startDashboard({ bridgeTo: broker.url, port: 0 });
    const tcp = await connectAsync(broker.url, { reconnectPeriod: 0 });
    await tcp.publishAsync('strata/bridge-test/n/state', '{"state":"online"}', { qos: 1, retain: true });
    const ws = await connectAsync(`${dash.url.replace('http', 'ws')}mqtt`, { reconnectPeriod: 0 });
    const got = nextMessage(ws, 'strata/bridge-test/n/state');
    await ws.subscribeAsync('strata/bridge-test/+/state');
    expect(await got).toBe('{"state":"online"}');
    await tcp.publishAsync('strata/bridge-test/n/state', '', { qos: 1, retain: true });
    await ws.endAsync();
    await tcp.endAsync();
    await dash.close();
  });

  it('`strata dashboard` prints the URL of a page it serves, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'dashboard', '--broker', broker.url, '--tree', 'demo', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /dashboard (http:\/\/127\.0\.0\.1:\d+\/)\n.*showing.*\n/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('close', (code) => reject(new Error(`strata dashboard exited (${code}) before printing its URL:\n${out}\n${err}`)));
    });
    expect(out).toMatch(/showing tree demo on mqtt:\/\/127\.0\.0\.1:\d+ \(bridged at ws:\/\/127\.0\.0\.1:\d+\/mqtt\)/);
    const page = await get(url);
    expect(page.body).toContain('<title>strata dashboard · tree demo</title>');
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await code).toBe(0);
  });

  it('`strata dashboard` refuses a broker that is not a URL with exit code 2', async () => {
    const r = await strata(['dashboard', '--broker', '127.0.0.1:1883']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--broker "127\.0\.0\.1:1883" is not a broker URL: give ws:\/\/host:port\/mqtt/);
  });
});
