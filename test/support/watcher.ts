import mqtt from 'mqtt';

export interface Seen {
  topic: string;
  payload: string;
  json: any;
  retained: boolean;
}

/**
 * A plain mqtt.js client that records what it sees, as `mosquitto_sub` would, and lets
 * a test wait for the message it expects (with a timeout that only fails a hung test).
 */
export class Watcher {
  readonly seen: Seen[] = [];
  private waiters: Array<{ pred: (m: Seen) => boolean; resolve: (m: Seen) => void }> = [];

  private constructor(readonly client: mqtt.MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const text = payload.toString('utf8');
      let json: unknown;
      try {
        json = text.length ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const m: Seen = { topic, payload: text, json, retained: packet.retain };
      this.seen.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }

  static async connect(url: string, filter: string): Promise<Watcher> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
    const w = new Watcher(client);
    await client.subscribeAsync(filter, { qos: 1 });
    return w;
  }

  /** The first message (already seen or yet to come) matching `pred`. */
  waitFor(pred: (m: Seen) => boolean, what = 'a message', timeoutMs = 15_000): Promise<Seen> {
    const found = this.seen.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${this.seen.length} messages: ${this.seen.slice(-8).map((m) => `${m.topic} ${m.payload.slice(0, 120)}`).join('\n')}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Publishes raw text, as `mosquitto_pub` would. */
  async publish(topic: string, payload: string | Buffer, retain = false): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: 1, retain });
  }

  on(topicSuffix: string): Seen[] {
    return this.seen.filter((m) => m.topic.endsWith(topicSuffix));
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
