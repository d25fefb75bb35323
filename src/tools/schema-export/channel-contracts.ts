import type { z } from 'zod';
import { commandSchema } from '../../contracts/command.js';
import { errorSchema } from '../../contracts/error.js';
import { healthSchema } from '../../contracts/health.js';
import { peerSchema } from '../../contracts/peer.js';
import { senseSchema } from '../../contracts/sense.js';
import { stateSchema } from '../../contracts/state.js';
import { statusSchema } from '../../contracts/status.js';
import { pointSchema, writeArgsSchema } from '../../contracts/device.js';
import { jsonSchema } from '../../contracts/ids.js';
import { treeConfigSchema } from '../../config/config-schema.js';
import { parseTopic, type Channel } from '../../wire/topics.js';

/** A named zod schema that is exported as a JSON Schema. */
export interface SchemaEntry {
  /** File name stem and component name, e.g. `command` → `command.schema.json`. */
  name: string;
  title: string;
  description: string;
  schema: z.ZodType;
}

/**
 * Every wire message, the device point and write arguments, and the tree config: the
 * contracts a program in another language needs to join a tree.
 */
export const schemaEntries: readonly SchemaEntry[] = [
  { name: 'command', title: 'strata command', description: 'parent or operator → node on strata/<tree>/<node>/cmd', schema: commandSchema },
  { name: 'status', title: 'strata status', description: "node → parent on strata/<tree>/<node>/status (retained): the current command's state", schema: statusSchema },
  { name: 'sense', title: 'strata sensations', description: "node → parent on strata/<tree>/<node>/sense, at the node's own abstraction", schema: senseSchema },
  { name: 'health', title: 'strata heartbeat', description: 'node → anyone on strata/<tree>/<node>/health: cycle statistics', schema: healthSchema },
  { name: 'state', title: 'strata birth/death', description: 'node → anyone on strata/<tree>/<node>/state (retained): online with the birth fields, or offline', schema: stateSchema },
  { name: 'error', title: 'strata rejected input', description: 'node → anyone on strata/<tree>/<node>/error: an input the node rejected and why', schema: errorSchema },
  { name: 'peer', title: 'strata peer message', description: 'sibling → node on strata/<tree>/<node>/peer/<from>', schema: peerSchema },
  { name: 'device-point', title: 'strata device point', description: "an I/O point of a device node (in a device node's birth, state.points)", schema: pointSchema },
  { name: 'write-args', title: 'strata write arguments', description: 'args of the "write" command that sets device outputs', schema: writeArgsSchema },
  { name: 'tree-config', title: 'strata tree config', description: 'a tree config file (YAML or JSON); durations are a number of ms or text with a unit (100ms, 1s, 2min)', schema: treeConfigSchema },
];

/** The recursive JSON value used inside several messages; one shared component in AsyncAPI. */
export const jsonValueEntry: SchemaEntry = { name: 'json', title: 'JSON value', description: 'any JSON value', schema: jsonSchema };

/** How a channel is used on the wire (DESIGN.md §3): QoS, retained, who sends, which schema. */
export interface ChannelContract {
  channel: Channel;
  schema: string;
  qos: 0 | 1;
  retain: boolean;
  /** Who publishes on it. */
  from: string;
  summary: string;
}

export const channelContracts: Readonly<Record<Channel, ChannelContract>> = {
  cmd: { channel: 'cmd', schema: 'command', qos: 1, retain: false, from: 'parent or operator', summary: 'commands to the node' },
  status: { channel: 'status', schema: 'status', qos: 1, retain: true, from: 'the node', summary: "status of the node's current command" },
  sense: { channel: 'sense', schema: 'sense', qos: 0, retain: false, from: 'the node', summary: "the node's sensations, for its parent" },
  health: { channel: 'health', schema: 'health', qos: 0, retain: false, from: 'the node', summary: 'heartbeat with cycle statistics' },
  state: { channel: 'state', schema: 'state', qos: 1, retain: true, from: 'the node (offline: its last will)', summary: 'birth and death' },
  error: { channel: 'error', schema: 'error', qos: 0, retain: false, from: 'the node', summary: 'inputs the node rejected' },
  peer: { channel: 'peer', schema: 'peer', qos: 1, retain: false, from: 'a sibling', summary: 'messages from siblings' },
};

/** The contract of a strata topic's channel, or undefined for a topic outside strata/<tree>/<node>/<channel>. */
export function contractOfTopic(topicName: string): ChannelContract | undefined {
  const parsed = parseTopic(topicName);
  return parsed ? channelContracts[parsed.channel] : undefined;
}
