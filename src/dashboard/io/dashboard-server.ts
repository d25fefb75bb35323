import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { connect as tcpConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { MQTT_WS_PATH, acceptMqttWebSockets, closeWebSockets, isLoopbackHost, listenOn } from '../../broker/websocket-listener.js';
import type { Logger } from '../../log/logger.js';
import { pageHtml, pageScript } from './dashboard-page.js';

/** The port tried first when none is given (a free one is taken if it is busy). */
export const DEFAULT_DASHBOARD_PORT = 7070;

export interface DashboardOptions {
  /** Broker's MQTT-over-WebSocket URL (ws:// or wss://) that the browser connects to directly. */
  mqttWsUrl?: string;
  /**
   * Or a broker without a WebSocket listener (mqtt://, mqtts://): the server bridges the
   * page's WebSocket to it at its own `/mqtt`. Exactly one of the two is given.
   */
  bridgeTo?: string;
  /** Show only this tree (default: every tree on the broker). */
  tree?: string;
  /** Port on 127.0.0.1: 0 for a free one; default 7070, or a free one if that is taken. */
  port?: number;
  /** A loopback address (default 127.0.0.1). */
  host?: string;
  log?: Logger;
}

/** A running dashboard. */
export interface Dashboard {
  /** The page, e.g. `http://127.0.0.1:7070/`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

let mqttBundle: string | undefined;
/** mqtt.js's own browser bundle, served from node_modules (no network needed). */
function mqttBrowserBundle(): string {
  if (mqttBundle === undefined) {
    let file: string;
    try {
      file = createRequire(import.meta.url).resolve('mqtt/dist/mqtt.min');
    } catch (err) {
      throw new Error(`the dashboard needs mqtt.js's browser bundle (mqtt/dist/mqtt.min.js) and cannot find it: ${(err as Error).message}. Reinstall dependencies with npm install.`);
    }
    mqttBundle = readFileSync(file, 'utf8');
  }
  return mqttBundle;
}

function checkBroker(o: DashboardOptions): void {
  if ((o.mqttWsUrl === undefined) === (o.bridgeTo === undefined)) {
    throw new Error('startDashboard needs exactly one of mqttWsUrl (a ws:// broker listener) or bridgeTo (an mqtt:// broker to bridge to)');
  }
  if (o.mqttWsUrl !== undefined && !/^wss?:\/\//.test(o.mqttWsUrl)) {
    throw new Error(`"${o.mqttWsUrl}" is not a WebSocket URL: the page connects with MQTT over WebSocket (ws://host:port/mqtt); for an mqtt:// broker, bridge to it instead`);
  }
  if (o.bridgeTo !== undefined && !/^mqtts?:\/\//.test(o.bridgeTo)) {
    throw new Error(`cannot bridge to "${o.bridgeTo}": give an mqtt://host:port or mqtts://host:port broker`);
  }
}

/** Opens a TCP (or TLS) connection to the broker for one browser WebSocket. */
function bridgeStream(target: URL): Duplex {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (target.protocol === 'mqtts:') return tlsConnect({ host, port: Number(target.port || 8883), servername: host });
  return tcpConnect({ host, port: Number(target.port || 1883) });
}

/**
 * Serves the live dashboard on loopback: one page plus mqtt.js's browser bundle. The page
 * subscribes to the tree's state, status, health, sense, error and cmd topics and redraws
 * as messages arrive; it never publishes.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  checkBroker(options);
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`the dashboard only listens on loopback (127.0.0.1, ::1), not "${host}"`);
  const html = pageHtml({ broker: options.mqttWsUrl ?? MQTT_WS_PATH, tree: options.tree });
  const script = pageScript();
  const bundle = mqttBrowserBundle();

  const send = (res: ServerResponse, status: number, type: string, body: string): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // A DNS-rebinding page reaches 127.0.0.1 under its own host name: serve loopback names only.
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!isLoopbackHost(hostName)) return send(res, 421, 'text/plain', `this dashboard answers only on 127.0.0.1 / localhost, not "${hostName}"\n`);
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'read-only\n');
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', html);
    if (path === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', script);
    if (path === '/mqtt.min.js') return send(res, 200, 'text/javascript; charset=utf-8', bundle);
    if (path === '/favicon.ico') return send(res, 204, 'text/plain', '');
    return send(res, 404, 'text/plain', `not found: ${path}\n`);
  });

  const target = options.bridgeTo !== undefined ? new URL(options.bridgeTo) : undefined;
  const wss = target
    ? acceptMqttWebSockets(server, MQTT_WS_PATH, (ws) => {
        const tcp = bridgeStream(target);
        tcp.on('error', (err) => {
          options.log?.warn(`dashboard bridge to ${options.bridgeTo}: ${err.message}`);
          ws.destroy();
        });
        ws.on('close', () => tcp.destroy());
        tcp.on('close', () => ws.destroy());
        ws.pipe(tcp).pipe(ws);
      })
    : undefined;

  let port: number;
  if (options.port !== undefined) port = await listenOn(server, options.port, host);
  else {
    try {
      port = await listenOn(server, DEFAULT_DASHBOARD_PORT, host);
    } catch {
      port = await listenOn(server, 0, host);
      options.log?.warn(`port ${DEFAULT_DASHBOARD_PORT} is taken; the dashboard took port ${port} instead`, { port });
    }
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    async close() {
      if (wss) await closeWebSockets(wss, server);
      else {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
