import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import type { EmbeddedBroker } from './embedded-broker.js';

/** Where MQTT over WebSocket is served (the path mosquitto, EMQX and mqtt.js default to). */
export const MQTT_WS_PATH = '/mqtt';

export interface WebSocketListenerOptions {
  /** Port on the host; 0 (the default) takes a free one. */
  port?: number;
  /** A loopback address (default 127.0.0.1); anything else is refused. */
  host?: string;
}

/** The embedded broker's MQTT-over-WebSocket listener. */
export interface WebSocketListener {
  /** e.g. `ws://127.0.0.1:39117/mqtt`, for browsers (the dashboard) and WebSocket MQTT tools. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True for host names that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Accepts WebSocket upgrades only from non-browser clients (no Origin header) or from pages
 * served on this machine. Browsers let any web site open a WebSocket to 127.0.0.1, so without
 * this check a page on the internet could command the robot through the user's browser; an
 * Origin is also what a DNS-rebinding page cannot fake.
 */
export function isAllowedOrigin(origin: string | undefined): boolean {
  if (origin === undefined || origin === '') return true;
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/**
 * A WebSocket server on `server` at `path` whose every connection is handed, as a byte
 * stream, to `handle`. Shared by the broker's listener and the dashboard's bridge.
 */
export function acceptMqttWebSockets(server: Server, path: string, handle: (stream: Duplex, req: IncomingMessage) => void): WebSocketServer {
  const wss = new WebSocketServer({
    server,
    path,
    // mqtt.js (and every MQTT-over-WebSocket client) asks for the "mqtt" subprotocol.
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
    verifyClient: ({ origin }: { origin: string }) => isAllowedOrigin(origin),
  });
  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    const stream = createWebSocketStream(socket);
    // A browser tab closed mid-frame surfaces as a stream error; the broker sees a disconnect.
    stream.on('error', () => stream.destroy());
    handle(stream, req);
  });
  return wss;
}

/** Starts listening; resolves with the port actually bound. */
export function listenOn(server: import('node:net').Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') err.message = `port ${port} on ${host} is taken; pick another with --port, or 0 for a free one`;
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Closes a WebSocket server, its clients and its HTTP server. */
export async function closeWebSockets(wss: WebSocketServer, server: Server): Promise<void> {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Gives the embedded broker an MQTT-over-WebSocket listener on loopback, so a browser
 * page (the dashboard) can subscribe to the tree. Each WebSocket becomes a byte stream
 * that aedes handles like a TCP connection.
 */
export async function attachWebSocketListener(broker: EmbeddedBroker, options: WebSocketListenerOptions = {}): Promise<WebSocketListener> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(`the WebSocket listener only binds to loopback (127.0.0.1, ::1), not "${host}": anyone who reaches it can command the tree. Use an external broker with authentication to expose a tree.`);
  }
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end(`MQTT over WebSocket: connect to ws://${host}:<port>${MQTT_WS_PATH}\n`);
  });
  const wss = acceptMqttWebSockets(server, MQTT_WS_PATH, (stream) => broker.aedes.handle(stream));
  const port = await listenOn(server, options.port ?? 0, host);
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `ws://${shownHost}:${port}${MQTT_WS_PATH}`,
    port,
    close: () => closeWebSockets(wss, server),
  };
}
