import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { MqttLink, type LinkTap, type LinkWill } from '../../src/link/mqtt-link.js';
import type { LinkFactory } from '../../src/tree/tree-run.js';

/**
 * A broker a test suite runs against. Every integration suite runs against the
 * embedded aedes over TCP, and also against `STRATA_TEST_BROKER` (e.g. mosquitto on
 * mqtt://127.0.0.1:1883) when that is set, as CI does.
 */
export interface TestBroker {
  name: string;
  url: string;
  link: LinkFactory;
  close(): Promise<void>;
}

export interface BrokerFixture {
  name: string;
  start(): Promise<TestBroker>;
}

function linkFactory(url: string): LinkFactory {
  return ({ clientId, will, tap }: { clientId: string; will?: LinkWill; tap?: LinkTap }) =>
    new MqttLink({ clientId, will, tap, endpoint: { url }, reconnectMs: 100 });
}

export const aedesTcp: BrokerFixture = {
  name: 'aedes over TCP',
  async start() {
    const broker: EmbeddedBroker = await startEmbeddedBroker({ anyPort: true });
    return { name: 'aedes', url: broker.url, link: linkFactory(broker.url), close: () => broker.close() };
  },
};

/** The brokers this run tests against. */
export function brokerFixtures(): BrokerFixture[] {
  const external = process.env.STRATA_TEST_BROKER;
  const list = [aedesTcp];
  if (external) {
    list.push({
      name: `external ${external}`,
      async start() {
        return { name: 'external', url: external, link: linkFactory(external), close: async () => undefined };
      },
    });
  }
  return list;
}

let counter = 0;
/** A tree id no other test (or earlier run on a shared broker) uses. */
export function uniqueTree(prefix: string): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}-${Math.floor(Math.random() * 1e6)}`;
}
