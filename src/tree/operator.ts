import type { Command } from '../contracts/command.js';
import type { MqttLink } from '../link/mqtt-link.js';
import { encodePayload } from '../wire/codec.js';
import { topic } from '../wire/topics.js';

/**
 * The `operator` identity: people and tools commanding a node (usually the root).
 * Serials increase per operator session, as the protocol requires.
 */
export class Operator {
  private serial = 0;

  constructor(
    private readonly link: MqttLink,
    private readonly tree: string,
    private readonly session: number,
    private readonly now: () => number,
  ) {}

  /** Sends a command; resolves when the broker has it. Returns the command sent. */
  async command(node: string, verb: string, args: Record<string, unknown> = {}, opts: { id?: string; target?: string } = {}): Promise<Command> {
    this.serial++;
    const cmd: Command = { v: 1, id: opts.id ?? `op-${this.serial}`, serial: this.serial, verb, args, from: 'operator', session: this.session, t: this.now() };
    if (opts.target !== undefined) cmd.target = opts.target;
    await this.link.publish(topic(this.tree, node, 'cmd'), encodePayload(cmd), { qos: 1 });
    return cmd;
  }

  /** Aborts the node's current command (or the one named `target`). */
  abort(node: string, target?: string): Promise<Command> {
    return this.command(node, 'abort', {}, { target });
  }
}
