import { readFileSync } from 'node:fs';
import { startEmbeddedBroker, type EmbeddedBroker } from '../broker/embedded-broker.js';
import { MqttLink, type BrokerEndpoint } from '../link/mqtt-link.js';
import type { Logger } from '../log/logger.js';
import type { LinkFactory } from '../tree/tree-run.js';

/** Broker flags shared by every verb that talks MQTT. */
export interface BrokerFlags {
  broker?: string;
  username?: string;
  password?: string;
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
  port?: string;
  transport?: 'memory' | 'tcp';
}

export interface Connection {
  link: LinkFactory;
  url: string;
  embedded: EmbeddedBroker | undefined;
  close(): Promise<void>;
}

function readPem(path: string | undefined, what: string): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the ${what} file "${path}": ${(err as Error).message}`);
  }
}

/** An endpoint from flags (URL, credentials, TLS files). */
export function endpointFromFlags(flags: BrokerFlags, url: string): BrokerEndpoint {
  return {
    url,
    username: flags.username,
    password: flags.password ?? process.env.STRATA_PASSWORD,
    ca: readPem(flags.ca, 'CA certificate'),
    cert: readPem(flags.cert, 'client certificate'),
    key: readPem(flags.key, 'client key'),
    rejectUnauthorized: !flags.insecure,
  };
}

/**
 * Joins the broker named by `--broker`, or starts the embedded one (on 127.0.0.1,
 * port 1883 or a free one) and prints where external tools can reach it.
 */
export async function connectBroker(flags: BrokerFlags, log: Logger, defaultPort = 1883): Promise<Connection> {
  if (flags.broker) {
    const endpoint = endpointFromFlags(flags, flags.broker);
    return {
      url: flags.broker,
      embedded: undefined,
      link: ({ clientId, will, tap }) => new MqttLink({ clientId, will, tap, endpoint, log: log.child({ link: clientId }) }),
      close: async () => undefined,
    };
  }
  const port = flags.port !== undefined ? Number(flags.port) : defaultPort;
  const embedded = await startEmbeddedBroker({ port, log });
  const memory = (flags.transport ?? 'memory') === 'memory';
  const endpoint: BrokerEndpoint = { url: embedded.url };
  return {
    url: embedded.url,
    embedded,
    link: ({ clientId, will, tap }) =>
      new MqttLink({ clientId, will, tap, log: log.child({ link: clientId }), ...(memory ? { stream: () => embedded.connectInMemory() } : { endpoint }) }),
    close: () => embedded.close(),
  };
}
