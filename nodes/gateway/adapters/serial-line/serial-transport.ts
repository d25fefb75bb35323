import { SerialPort, ReadlineParser } from 'serialport';

/** A line-oriented byte link: the serial port, or anything a test hands in instead. */
export interface LineTransport {
  open(): Promise<void>;
  close(): Promise<void>;
  write(text: string): void;
  /** Each received line, without its newline. */
  onLine(fn: (line: string) => void): void;
  /** The link dropped (cable pulled, device reset, pty gone); not called on our own close. */
  onLost(fn: (reason: string) => void): void;
}

export type LineTransportFactory = (path: string, baudRate: number) => LineTransport;

/** The real serial port (serialport package), newline-delimited. This is the I/O edge. */
export const openSerialLine: LineTransportFactory = (path, baudRate) => {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  const parser = port.pipe(new ReadlineParser({ delimiter: '\n' }));
  let closing = false;
  let lost: (reason: string) => void = () => undefined;
  port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
    if (!closing) lost(err?.message ?? 'the port closed');
  });
  // Errors after open also end in 'close'; without a listener node would throw them.
  port.on('error', () => undefined);
  return {
    open: () =>
      new Promise((resolve, reject) => {
        closing = false;
        port.open((err) => (err ? reject(new Error(`cannot open ${path} at ${baudRate} baud: ${err.message}`)) : resolve()));
      }),
    close: () =>
      new Promise((resolve) => {
        closing = true;
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
    write: (text) => {
      port.write(text);
    },
    onLine: (fn) => {
      parser.on('data', (line: string) => fn(line));
    },
    onLost: (fn) => {
      lost = fn;
    },
  };
};
