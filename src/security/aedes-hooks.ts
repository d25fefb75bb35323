import { timingSafeEqual } from 'node:crypto';
import type { AedesOptions, Client } from 'aedes';
import type { ResolvedTree } from '../config/resolve-tree.js';
import type { Logger } from '../log/logger.js';
import { checkPublish, checkSubscribe, deriveAcl, type AclRules } from './acl-rules.js';

type AuthenticateHandler = NonNullable<AedesOptions['authenticate']>;
type AuthorizePublishHandler = NonNullable<AedesOptions['authorizePublish']>;
type AuthorizeSubscribeHandler = NonNullable<AedesOptions['authorizeSubscribe']>;

/** User name → password (the secrets file's `users`). */
export type Credentials = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

/** The aedes options that make the embedded broker enforce the tree's ACL. */
export interface AclHooks {
  authenticate: AuthenticateHandler;
  authorizePublish: AuthorizePublishHandler;
  authorizeSubscribe: AuthorizeSubscribeHandler;
  /** The rules enforced (the same ones `strata acl` writes for mosquitto). */
  rules: AclRules;
}

function sameSecret(given: Buffer | undefined, expected: string): boolean {
  if (!given) return false;
  const want = Buffer.from(expected, 'utf8');
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * Hooks for aedes (pass them to startEmbeddedBroker's `aedes` option) enforcing the
 * rules {@link deriveAcl} derives from the tree. Every refusal is logged at warn with
 * who (user and client id), what (topic) and why.
 */
export function createAclHooks(tree: ResolvedTree | { tree: string; rules: AclRules }, credentials: Credentials, log: Logger): AclHooks {
  const rules = 'rules' in tree ? tree.rules : deriveAcl(tree.config.tree, tree.specs);
  const secrets = credentials instanceof Map ? credentials : new Map(Object.entries(credentials as Record<string, string>));
  const users = new WeakMap<Client, string>();
  const who = (client: Client | null): { user?: string; client?: string } => ({ user: client ? users.get(client) : undefined, client: client?.id });

  const authenticate: AuthenticateHandler = (client, username, password, done) => {
    const expected = username === undefined ? undefined : secrets.get(username);
    if (username === undefined || expected === undefined || !rules.users.has(username) || !sameSecret(password, expected)) {
      const why = username === undefined ? 'no user name (anonymous clients are not allowed)' : expected === undefined || !rules.users.has(username) ? `unknown user "${username}"` : 'wrong password';
      log.warn(`refused connection from client "${client.id}": ${why}`, { refused: 'connect', user: username, client: client.id, reason: why });
      const err = Object.assign(new Error(why), { returnCode: username === undefined || expected === undefined ? 5 : 4 });
      return done(err as never, false);
    }
    users.set(client, username);
    done(null, true);
  };

  const authorizePublish: AuthorizePublishHandler = (client, packet, done) => {
    // A null client is aedes republishing a stored will with nobody connected: those are state topics.
    if (client === null) return done(packet.topic.endsWith('/state') ? null : new Error('no client'));
    const w = who(client);
    const d = checkPublish(rules, w.user, packet.topic);
    if (d.ok) return done(null);
    log.warn(`refused publish by "${w.user}" (client "${w.client}") on ${packet.topic}: ${d.reason}`, { refused: 'publish', ...w, topic: packet.topic, reason: d.reason });
    done(new Error(`not authorized to publish on ${packet.topic}`));
  };

  const authorizeSubscribe: AuthorizeSubscribeHandler = (client, sub, done) => {
    const w = who(client);
    const d = checkSubscribe(rules, w.user, sub.topic);
    if (d.ok) return done(null, sub);
    log.warn(`refused subscription by "${w.user}" (client "${w.client}") to ${sub.topic}: ${d.reason}`, { refused: 'subscribe', ...w, topic: sub.topic, reason: d.reason });
    // A null subscription makes aedes answer 0x80 (failure) for this filter and go on.
    done(null, null as never);
  };

  return { authenticate, authorizePublish, authorizeSubscribe, rules };
}
