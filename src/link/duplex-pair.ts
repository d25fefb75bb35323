import { Duplex } from 'node:stream';

/**
 * Two connected in-memory streams: what one writes the other reads. Used to connect
 * in-process nodes to the embedded broker without TCP (the MQTT protocol is unchanged,
 * only the byte pipe is). Destroying one side ends the other, as a dropped socket would.
 */
export function duplexPair(): [Duplex, Duplex] {
  const sides: Duplex[] = [];
  const make = (other: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk, _enc, cb) {
        other().push(chunk);
        cb();
      },
      // mqtt-packet writes a packet as several small chunks inside cork/uncork: hand them
      // over as one buffer, so the reader parses one chunk per packet, not five.
      writev(chunks, cb) {
        other().push(chunks.length === 1 ? chunks[0].chunk : Buffer.concat(chunks.map((c) => c.chunk as Buffer)));
        cb();
      },
      final(cb) {
        other().push(null);
        cb();
      },
      destroy(err, cb) {
        const o = other();
        if (!o.destroyed) o.destroy();
        cb(err);
      },
    });
  sides.push(make(() => sides[1]), make(() => sides[0]));
  return [sides[0], sides[1]];
}
