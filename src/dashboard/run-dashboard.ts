import type { EmbeddedBroker } from '../broker/embedded-broker.js';
import { attachWebSocketListener, type WebSocketListener } from '../broker/websocket-listener.js';
import type { Logger } from '../log/logger.js';
import { startDashboard, type Dashboard } from './io/dashboard-server.js';

export interface RunDashboardOptions {
  /**
   * The run's broker: the embedded one (it gets a WebSocket listener on loopback), or an
   * external broker's URL: ws:// / wss:// (its own WebSocket listener, used directly) or
   * mqtt:// / mqtts:// (bridged by the dashboard server).
   */
  broker: EmbeddedBroker | string;
  /** Show only this tree (a run passes its own). */
  tree?: string;
  /** Dashboard page port (default 7070, or a free one if taken; 0 for a free one). */
  port?: number;
  /** Embedded broker's WebSocket port (default: a free one). */
  wsPort?: number;
  log?: Logger;
}

export interface RunDashboard {
  /** The page to open, e.g. `http://127.0.0.1:7070/`. */
  readonly url: string;
  /** Where the page gets its MQTT from (the embedded listener, the external ws URL, or the bridge). */
  readonly mqttWsUrl: string;
  close(): Promise<void>;
}

/**
 * The dashboard for `strata run --dashboard`: one call from the run command, one line to
 * print, one `close()` before the broker closes.
 */
export async function startRunDashboard(options: RunDashboardOptions): Promise<RunDashboard> {
  let listener: WebSocketListener | undefined;
  let dashboard: Dashboard;
  let mqttWsUrl: string;
  if (typeof options.broker !== 'string') {
    listener = await attachWebSocketListener(options.broker, { port: options.wsPort });
    mqttWsUrl = listener.url;
    try {
      dashboard = await startDashboard({ mqttWsUrl, tree: options.tree, port: options.port, log: options.log });
    } catch (err) {
      await listener.close();
      throw err;
    }
  } else if (/^wss?:\/\//.test(options.broker)) {
    mqttWsUrl = options.broker;
    dashboard = await startDashboard({ mqttWsUrl, tree: options.tree, port: options.port, log: options.log });
  } else {
    dashboard = await startDashboard({ bridgeTo: options.broker, tree: options.tree, port: options.port, log: options.log });
    mqttWsUrl = `${dashboard.url.replace(/^http/, 'ws').replace(/\/$/, '')}/mqtt`;
  }
  return {
    url: dashboard.url,
    mqttWsUrl,
    async close() {
      await dashboard.close();
      await listener?.close();
    },
  };
}
