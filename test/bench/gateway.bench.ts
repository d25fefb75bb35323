import mqtt from 'mqtt';
import { GatewayHarness } from '../integration/gateway-node-harness.js';
import { SerialDeviceEmulator } from '../support/serial-device-emulator.js';
import { percentile, round, type Benchmark } from './benchmark.js';

const N = 200;
const WARMUP = 20;
const RATE_HZ = 100;
const PERIOD = '5ms';

/** Resolves with the time the predicate first holds for a message on `topic`. */
function nextMessage(client: mqtt.MqttClient, topic: string, pred: (json: any) => boolean): Promise<number> {
  return new Promise((resolve) => {
    const on = (t: string, payload: Buffer): void => {
      if (t !== topic) return;
      if (!pred(JSON.parse(payload.toString('utf8')))) return;
      client.off('message', on);
      resolve(performance.now());
    };
    client.on('message', on);
  });
}

export const bench: Benchmark = {
  name: 'gateway',
  description: `gateway node over the serial emulator (socat pty, 115200 baud) and the embedded broker: input change → sense on the broker, and command on the broker → SET at the device (input ${RATE_HZ} Hz, node period ${PERIOD})`,
  async run(ctx) {
    const emu = await SerialDeviceEmulator.start({ values: { LVL: '0', PUMP: '0' } });
    const gw = await GatewayHarness.start(
      {
        adapter: { type: 'serial-line', path: emu.hostPath, timeout_ms: 150 },
        watchdog_ms: 0,
        // The benchmark measures latency, not the rate limit: allow a write every sample.
        max_write_hz: 1000,
        points: [
          { name: 'level', direction: 'in', type: 'number', rate_hz: RATE_HZ, wire: 'LVL' },
          { name: 'pump', direction: 'out', type: 'number', min: 0, max: 1000, safe: 0, wire: 'PUMP' },
        ],
      },
      { period: PERIOD, heartbeat: '1s' },
    );
    const sub = await mqtt.connectAsync(gw.url, { protocolVersion: 4 });
    (sub.stream as unknown as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
    const senseTopic = gw.topic('sense');
    await sub.subscribeAsync(senseTopic, { qos: 1 });
    try {
      await nextMessage(sub, senseTopic, (s) => s.values.level === 0);
      ctx.log(`input latency: ${N} samples`);
      const inMs: number[] = [];
      for (let i = 1; i <= N + WARMUP; i++) {
        const seen = nextMessage(sub, senseTopic, (s) => s.values.level === i);
        const t0 = performance.now();
        emu.values.set('LVL', String(i));
        const t1 = await seen;
        if (i > WARMUP) inMs.push(t1 - t0);
      }
      ctx.log(`output latency: ${N} samples`);
      const outMs: number[] = [];
      for (let i = 1; i <= N + WARMUP; i++) {
        const set = emu.nextSet('PUMP', String(i)).then(() => performance.now());
        const t0 = performance.now();
        await gw.write('drive', { pump: i });
        const t1 = await set;
        if (i > WARMUP) outMs.push(t1 - t0);
      }
      return {
        in_p50_ms: round(percentile(inMs, 50)),
        in_p99_ms: round(percentile(inMs, 99)),
        out_p50_ms: round(percentile(outMs, 50)),
        out_p99_ms: round(percentile(outMs, 99)),
        samples: N,
        input_rate_hz: RATE_HZ,
        node_period: PERIOD,
      };
    } finally {
      await sub.endAsync();
      await gw.stop();
      await emu.stop();
    }
  },
};
