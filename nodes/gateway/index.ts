/**
 * The hardware I/O gateway: point config, the device adapter interface and its
 * implementations, the pure gateway core, and the driver that runs them on a clock.
 */
export * from './points.js';
export * from './adapter.js';
export * from './scaling.js';
export * from './token-bucket.js';
export * from './backoff.js';
export * from './fault-book.js';
export * from './gateway-core.js';
export * from './gateway-driver.js';
export * from './create-adapter.js';
export * from './adapters/serial-line/line-protocol.js';
export * from './adapters/serial-line/serial-transport.js';
export * from './adapters/serial-line/serial-line-adapter.js';
export * from './adapters/modbus-tcp/modbus-codec.js';
export * from './adapters/modbus-tcp/modbus-tcp-adapter.js';
export * from './adapters/simulated/device-models.js';
export * from './adapters/simulated/simulated-adapter.js';
export * from './gateway-kind.js';
