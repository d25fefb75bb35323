import { createServer } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log/logger.js';
import { duplexPair } from '../link/duplex-pair.js';
import { listenOn } from './websocket-listener.js';

export interface EmbeddedBrokerOptions {
  /** Port on 127.0.0.1 (default 1883). If it is taken, a free port is used instead, and the log says so. */
  port?: number;
  host?: string;
  /** Use a free port without trying the default first (tests). */
  anyPort?: boolean;
  log?: Logger;
  /** Authentication and authorization hooks (see the security guide). */
  aedes?: AedesOptions;
}

/** An aedes broker in this process, listening on loopback so external tools can watch. */
export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly aedes: Aedes;
  /** A connection that skips TCP (in-process clients); the broker handles it like any other. */
  connectInMemory(): Duplex;
  close(): Promise<void>;
}

/** Starts the embedded broker. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  // aedes's default concurrency (100) overflows its stack while a large tree (a
  // thousand nodes) connects and subscribes at once; the queue is cheap, so raise it.
  const aedes = await Aedes.createBroker({ heartbeatInterval: 60_000, concurrency: 100_000, ...options.aedes });
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  let port: number;
  if (options.anyPort) {
    port = await listenOn(server, 0, host);
  } else {
    const wanted = options.port ?? 1883;
    try {
      port = await listenOn(server, wanted, host);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      port = await listenOn(server, 0, host);
      options.log?.warn(`port ${wanted} on ${host} is taken (another broker?); the embedded broker took port ${port} instead`, { wanted, port });
    }
  }
  const streams = new Set<Duplex>();
  return {
    url: `mqtt://${host}:${port}`,
    port,
    host,
    aedes,
    connectInMemory() {
      const [clientSide, brokerSide] = duplexPair();
      streams.add(brokerSide);
      brokerSide.on('close', () => streams.delete(brokerSide));
      aedes.handle(brokerSide);
      return clientSide;
    },
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const s of streams) s.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
