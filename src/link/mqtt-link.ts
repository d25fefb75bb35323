import { MqttClient, connect, type IClientOptions, type IClientPublishOptions } from 'mqtt';
import type { Duplex } from 'node:stream';
import { createConnection } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Subject, type Observable } from 'rxjs';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';

/** How to reach a broker: a URL (mqtt://, mqtts://, ws://) and its credentials. */
export interface BrokerEndpoint {
  url: string;
  username?: string;
  password?: string;
  /** TLS: CA certificate, client certificate and key (PEM text). */
  ca?: string;
  cert?: string;
  key?: string;
  /** Check the broker's certificate (default true). */
  rejectUnauthorized?: boolean;
}

export interface LinkWill {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
}

/** Taps the lockstep driver uses to know when every message has been delivered. */
export interface LinkTap {
  published(topic: string): void;
  received(topic: string): void;
}

export interface LinkOptions {
  clientId: string;
  /** Either an endpoint or an in-memory stream factory (embedded broker without TCP). */
  endpoint?: BrokerEndpoint;
  stream?: () => Duplex;
  will?: LinkWill;
  /** false keeps the broker-side session (queued QoS 1 messages) across reconnects. */
  clean?: boolean;
  keepaliveS?: number;
  /** First reconnect delay (ms); it doubles up to reconnectMaxMs. */
  reconnectMs?: number;
  reconnectMaxMs?: number;
  log?: Logger;
  tap?: LinkTap;
}

export type LinkEvent =
  | { type: 'connect'; sessionPresent: boolean }
  | { type: 'offline' }
  | { type: 'reconnect'; attempt: number; delayMs: number }
  | { type: 'error'; error: Error };

export type MessageHandler = (topic: string, payload: Buffer, retained: boolean) => void;

const MQTTJS_DEBUG = /mqttjs/.test(process.env.DEBUG ?? '');
const noLog = (): void => undefined;

// Shared publish options for the common cases (mqtt.js reads them, never keeps or changes them).
const QOS0: IClientPublishOptions = Object.freeze({ qos: 0, retain: false });
const QOS1: IClientPublishOptions = Object.freeze({ qos: 1, retain: false });
const RETAINED_QOS1: IClientPublishOptions = Object.freeze({ qos: 1, retain: true });

/**
 * One node's MQTT connection: the wire layer under the node's protocol layer. Wraps
 * mqtt.js; publishes resolve when the broker has them (PUBACK for QoS 1).
 */
export class MqttLink {
  readonly events$: Observable<LinkEvent>;
  private readonly events = new Subject<LinkEvent>();
  private client: MqttClient | undefined;
  private handlers: MessageHandler[] = [];
  private readonly log: Logger;
  private attempt = 0;
  private ended = false;

  constructor(private readonly options: LinkOptions) {
    this.events$ = this.events.asObservable();
    this.log = options.log ?? silentLogger;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects and resolves on the first CONNACK; later drops reconnect with backoff. */
  connect(): Promise<void> {
    const o = this.options;
    const base: IClientOptions = {
      clientId: o.clientId,
      protocolVersion: 4,
      clean: o.clean ?? true,
      keepalive: o.keepaliveS ?? 10,
      reconnectPeriod: o.reconnectMs ?? 500,
      connectTimeout: 10_000,
      resubscribe: true,
      will: o.will ? { topic: o.will.topic, payload: Buffer.from(o.will.payload), qos: o.will.qos, retain: o.will.retain } : undefined,
      username: o.endpoint?.username,
      password: o.endpoint?.password,
      ca: o.endpoint?.ca,
      cert: o.endpoint?.cert,
      key: o.endpoint?.key,
      rejectUnauthorized: o.endpoint?.rejectUnauthorized ?? true,
      // mqtt.js logs every packet through `debug`; unless DEBUG asks for it, skip the calls.
      ...(MQTTJS_DEBUG ? {} : { log: noLog }),
    };
    const stream = o.stream ?? tcpStream(o.endpoint);
    const client = stream ? new MqttClient(() => stream(), base) : connect(o.endpoint?.url ?? 'mqtt://127.0.0.1:1883', base);
    this.client = client;
    client.on('message', (topic, payload, packet) => {
      o.tap?.received(topic);
      for (const h of this.handlers) h(topic, payload, packet.retain);
    });
    client.on('offline', () => this.events.next({ type: 'offline' }));
    client.on('error', (error) => this.events.next({ type: 'error', error }));
    client.on('reconnect', () => {
      // Exponential backoff: mqtt.js reads reconnectPeriod before each attempt.
      this.attempt++;
      const delay = Math.min((o.reconnectMs ?? 500) * 2 ** this.attempt, o.reconnectMaxMs ?? 10_000);
      client.options.reconnectPeriod = delay;
      this.events.next({ type: 'reconnect', attempt: this.attempt, delayMs: delay });
    });
    return new Promise((resolve, reject) => {
      let first = true;
      client.on('connect', (connack) => {
        this.attempt = 0;
        client.options.reconnectPeriod = o.reconnectMs ?? 500;
        this.events.next({ type: 'connect', sessionPresent: connack.sessionPresent });
        if (first) {
          first = false;
          resolve();
        }
      });
      client.once('error', (err) => {
        if (first) {
          first = false;
          this.ended = true;
          client.end(true);
          reject(new Error(`cannot connect to the MQTT broker at ${o.endpoint?.url ?? 'the embedded broker'}: ${err.message}`));
        }
      });
    });
  }

  onMessage(handler: MessageHandler): void {
    this.handlers.push(handler);
  }

  subscribe(filters: ReadonlyArray<{ topic: string; qos: 0 | 1 }>): Promise<void> {
    const client = this.need();
    const map: Record<string, { qos: 0 | 1 }> = {};
    for (const f of filters) map[f.topic] = { qos: f.qos };
    return new Promise((resolve, reject) => {
      client.subscribe(map, (err, granted) => {
        if (err) return reject(err);
        const refused = (granted ?? []).filter((g) => g.qos === 128);
        if (refused.length > 0) return reject(new Error(`the broker refused the subscription to ${refused.map((g) => g.topic).join(', ')} (not authorized?)`));
        resolve();
      });
    });
  }

  /**
   * Queues a publish. The returned promise settles when the broker has the message
   * (QoS 1) or it was written (QoS 0); callers on hot paths need not await it.
   */
  publish(topic: string, payload: string, opts: { qos: 0 | 1; retain?: boolean }): Promise<void> {
    return new Promise((resolve, reject) => this.send(topic, payload, opts, (err) => (err ? reject(err) : resolve())));
  }

  /**
   * `publish` for hot paths: no promise per message; `done` (if given) is called with
   * the error, if any, once the broker has the message (QoS 1) or it was written (QoS 0).
   */
  send(topic: string, payload: string, opts: { qos: 0 | 1; retain?: boolean }, done?: (err?: Error) => void): void {
    const client = this.need();
    this.options.tap?.published(topic);
    const po: IClientPublishOptions = opts.retain ? (opts.qos === 1 ? RETAINED_QOS1 : { qos: opts.qos, retain: true }) : opts.qos === 1 ? QOS1 : QOS0;
    client.publish(topic, payload, po, done);
  }

  /** Disconnects cleanly (the broker does not publish the will). */
  async end(): Promise<void> {
    if (!this.client || this.ended) return;
    this.ended = true;
    const client = this.client;
    await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
  }

  /** Drops the connection without DISCONNECT, as a crash would: the broker publishes the will. */
  kill(): void {
    if (!this.client) return;
    this.ended = true;
    this.client.options.reconnectPeriod = 0;
    const stream = (this.client as unknown as { stream?: Duplex }).stream;
    stream?.destroy();
    this.client.end(true);
  }

  private need(): MqttClient {
    if (!this.client) throw new Error('MqttLink: call connect() first');
    return this.client;
  }
}

/**
 * TCP (and TLS) with Nagle's algorithm off: control messages are small and latency
 * matters more than packing (mqtt.js leaves Nagle on). WebSocket URLs go to mqtt.js.
 */
function tcpStream(endpoint: BrokerEndpoint | undefined): (() => Duplex) | undefined {
  const url = new URL(endpoint?.url ?? 'mqtt://127.0.0.1:1883');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'mqtt:' || url.protocol === 'tcp:') {
    const port = Number(url.port || 1883);
    return () => createConnection({ host, port, noDelay: true });
  }
  if (url.protocol === 'mqtts:' || url.protocol === 'ssl:' || url.protocol === 'tls:') {
    const port = Number(url.port || 8883);
    return () => {
      const socket = tlsConnect({ host, port, servername: host, ca: endpoint?.ca, cert: endpoint?.cert, key: endpoint?.key, rejectUnauthorized: endpoint?.rejectUnauthorized ?? true });
      socket.setNoDelay(true);
      return socket;
    };
  }
  return undefined;
}
