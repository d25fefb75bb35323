import type { ResolvedTree } from '../../config/resolve-tree.js';
import { PROTOCOL_VERSION } from '../../contracts/ids.js';
import { channels, topic, type Channel } from '../../wire/topics.js';
import { channelContracts, schemaEntries } from './channel-contracts.js';
import { componentSchemas } from './json-schemas.js';

/** An AsyncAPI document, as plain data (serialise with JSON.stringify). */
export type AsyncApiDocument = Record<string, unknown>;

const MQTT_BINDING_VERSION = '0.2.0';
/** Schemas that are not payloads of a channel but are referenced by those that are. */
const wireEntries = schemaEntries.filter((e) => e.name !== 'tree-config');

/**
 * The AsyncAPI 3.0 description of a tree's topics: for every node a channel per
 * DESIGN.md §3 channel (`cmd`, `status`, `sense`, `health`, `state`, `error`, and
 * `peer/{from}` when it has siblings), each with one message whose payload refers to
 * the JSON Schema generated from the zod contract, and an operation whose MQTT binding
 * carries the QoS and retained flag. Operations are seen from the tree: it receives
 * commands and peer messages, and sends the rest.
 */
export function asyncApiDocument(tree: ResolvedTree): AsyncApiDocument {
  const treeId = tree.config.tree;
  const channelsOut: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const spec of tree.specs) {
    const kind = tree.kinds.get(spec.kind);
    const verbs = kind ? [...Object.keys(kind.verbs), 'abort'] : ['abort'];
    for (const ch of channels) {
      if (ch === 'peer' && spec.siblings.length === 0) continue;
      const c = channelContracts[ch];
      const key = `${spec.id}.${ch}`;
      const address = ch === 'peer' ? `strata/${treeId}/${spec.id}/peer/{from}` : topic(treeId, spec.id, ch);
      const message = c.schema;
      channelsOut[key] = {
        address,
        title: `${spec.id} ${ch}`,
        summary: `${spec.id} (${spec.kind}, level ${spec.level}): ${c.summary}`,
        description: describeChannel(ch, spec.id, spec.parent, verbs, c.from),
        messages: { [message]: { $ref: `#/components/messages/${message}` } },
        ...(ch === 'peer' ? { parameters: { from: { enum: spec.siblings, description: 'the sending sibling' } } } : {}),
      };
      operations[`${ch === 'cmd' || ch === 'peer' ? 'receive' : 'send'}.${key}`] = {
        action: ch === 'cmd' || ch === 'peer' ? 'receive' : 'send',
        channel: { $ref: `#/channels/${key}` },
        messages: [{ $ref: `#/channels/${key}/messages/${message}` }],
        bindings: { mqtt: { qos: c.qos, retain: c.retain, bindingVersion: MQTT_BINDING_VERSION } },
      };
    }
  }
  const messages: Record<string, unknown> = {};
  for (const ch of Object.values(channelContracts)) {
    const entry = wireEntries.find((e) => e.name === ch.schema)!;
    messages[ch.schema] = {
      name: ch.schema,
      title: entry.title,
      summary: entry.description,
      contentType: 'application/json',
      payload: { $ref: `#/components/schemas/${ch.schema}` },
    };
  }
  const broker = tree.config.broker;
  const server = broker.url ? serverFromUrl(broker.url) : { host: `127.0.0.1:${broker.port}`, protocol: 'mqtt', description: 'the embedded broker (strata run without --broker)' };
  return {
    asyncapi: '3.0.0',
    info: {
      title: `strata tree "${treeId}"`,
      version: `${PROTOCOL_VERSION}.0.0`,
      description: `${tree.config.description ?? `The topics of tree "${treeId}".`} Root: ${tree.root}. Payloads are UTF-8 JSON with "v":${PROTOCOL_VERSION}; an empty retained payload on status/state clears it.`,
    },
    defaultContentType: 'application/json',
    servers: { broker: { ...server, protocolVersion: '3.1.1' } },
    channels: channelsOut,
    operations,
    components: { schemas: componentSchemas('#/components/schemas/', wireEntries), messages },
  };
}

function describeChannel(ch: Channel, node: string, parent: string | null, verbs: string[], from: string): string {
  const c = channelContracts[ch];
  const wire = `QoS ${c.qos}${c.retain ? ', retained' : ''}; published by ${from}.`;
  if (ch === 'cmd') return `Commands to ${node} from ${parent ?? 'the operator'}. Verbs: ${verbs.join(', ')}. ${wire}`;
  if (ch === 'status' || ch === 'sense') return `${c.summary}; read by ${parent ?? 'the operator'}. ${wire}`;
  return `${c.summary}. ${wire}`;
}

function serverFromUrl(url: string): { host: string; protocol: string; pathname?: string } {
  const u = new URL(url);
  return { host: u.host, protocol: u.protocol.replace(/:$/, ''), ...(u.pathname && u.pathname !== '/' ? { pathname: u.pathname } : {}) };
}
