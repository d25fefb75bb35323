import { pbkdf2Sync } from 'node:crypto';
import type { AclRules } from './acl-rules.js';

/** mosquitto 2's defaults for `$7$` (PBKDF2-SHA512) password hashes. */
export const MOSQUITTO_PBKDF2_ITERATIONS = 101;
const HASH_BYTES = 64;

/**
 * One password-file line in mosquitto 2's format, `user:$7$<iterations>$<salt b64>$<hash b64>`
 * (PBKDF2-SHA512), as `mosquitto_passwd -b` writes it. The salt (12 random bytes in
 * mosquitto) is passed in so the function stays deterministic.
 */
export function mosquittoPasswordLine(user: string, password: string, salt: Buffer, iterations = MOSQUITTO_PBKDF2_ITERATIONS): string {
  if (user.includes(':')) throw new Error(`user name "${user}" contains ":", which the mosquitto password file cannot hold`);
  const hash = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, HASH_BYTES, 'sha512');
  return `${user}:$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** The ACL file: one `user` block per identity, `topic write` / `topic read` lines. */
export function mosquittoAclFile(rules: AclRules): string {
  const out = [`# strata ACL for tree "${rules.tree}", derived from its config by \`strata acl\`; regenerate, do not edit.`, ''];
  for (const r of rules.users.values()) {
    out.push(`# ${r.role}`, `user ${r.user}`);
    for (const t of r.write) out.push(`topic write ${t}`);
    for (const t of r.read) out.push(`topic read ${t}`);
    out.push('');
  }
  return out.join('\n');
}

export interface ListenerOptions {
  port: number;
  host?: string;
  /** Absolute paths the snippet names. */
  passwordFile: string;
  aclFile: string;
  /** TLS: certificate files for an mqtts listener on the same port. */
  tls?: { cafile: string; certfile: string; keyfile: string };
}

/** A mosquitto.conf snippet: one listener, no anonymous clients, the password and ACL files. */
export function mosquittoConfigSnippet(o: ListenerOptions): string {
  const lines = [
    '# strata: include from mosquitto.conf, or run `mosquitto -c` on it',
    'per_listener_settings false',
    '# Nagle off: without it each QoS 1 round trip can wait ~40 ms for a delayed ACK',
    'set_tcp_nodelay true',
    `listener ${o.port}${o.host ? ` ${o.host}` : ''}`,
    'allow_anonymous false',
    `password_file ${o.passwordFile}`,
    `acl_file ${o.aclFile}`,
  ];
  if (o.tls) lines.push(`cafile ${o.tls.cafile}`, `certfile ${o.tls.certfile}`, `keyfile ${o.tls.keyfile}`, 'tls_version tlsv1.2');
  return `${lines.join('\n')}\n`;
}
