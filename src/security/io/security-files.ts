import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { ResolvedTree } from '../../config/resolve-tree.js';
import { deriveAcl, type AclRules } from '../acl-rules.js';
import { mosquittoAclFile, mosquittoConfigSnippet, mosquittoPasswordLine } from '../mosquitto-files.js';

/** The secrets file nodes read their passwords from (`strata launch --secrets`). */
export const secretsSchema = z
  .object({
    v: z.literal(1),
    tree: z.string(),
    users: z.record(z.string(), z.string().min(1)),
  })
  .strict();
export type Secrets = z.output<typeof secretsSchema>;

/** Reads a secrets file, with an error that names it. */
export function readSecrets(file: string): Secrets {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the secrets file "${file}": ${(err as Error).message}; write one with \`strata acl <config> --out <dir>\``);
  }
  const p = secretsSchema.safeParse(raw);
  if (!p.success) throw new Error(`the secrets file "${file}" is not valid: ${p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return p.data;
}

export interface WrittenFiles {
  passwordFile: string;
  aclFile: string;
  configFile: string;
  secretsFile: string;
  rules: AclRules;
  secrets: Secrets;
  /** How the password file was made: `mosquitto_passwd` or `pbkdf2` (our own, same format). */
  hashedWith: 'mosquitto_passwd' | 'pbkdf2';
}

function hasMosquittoPasswd(): boolean {
  try {
    execFileSync('mosquitto_passwd', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // It prints usage and exits non-zero; only "not found" means it is missing.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * Writes `passwd`, `acl`, `mosquitto.conf` (a snippet) and `secrets.json` (mode 0600)
 * into `dir`. Passwords are new random ones unless `existing` secrets are given, so
 * re-running keeps the nodes' credentials.
 */
export function writeSecurityFiles(tree: ResolvedTree, dir: string, opts: { port?: number; existing?: Secrets; useMosquittoPasswd?: boolean } = {}): WrittenFiles {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const rules = deriveAcl(tree.config.tree, tree.specs);
  const users: Record<string, string> = {};
  for (const u of rules.users.keys()) users[u] = opts.existing?.users[u] ?? randomBytes(18).toString('base64url');
  const secrets: Secrets = { v: 1, tree: tree.config.tree, users };
  const passwordFile = join(out, 'passwd');
  const aclFile = join(out, 'acl');
  const configFile = join(out, 'mosquitto.conf');
  const secretsFile = join(out, 'secrets.json');
  const useTool = opts.useMosquittoPasswd ?? hasMosquittoPasswd();
  writeFileSync(passwordFile, '');
  if (useTool) {
    for (const [u, pw] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', passwordFile, u, pw], { stdio: 'ignore' });
  } else {
    writeFileSync(passwordFile, `${Object.entries(users).map(([u, pw]) => mosquittoPasswordLine(u, pw, randomBytes(12))).join('\n')}\n`);
  }
  writeFileSync(aclFile, mosquittoAclFile(rules));
  writeFileSync(configFile, mosquittoConfigSnippet({ port: opts.port ?? 1883, passwordFile, aclFile }));
  writeFileSync(secretsFile, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(secretsFile, 0o600);
  chmodSync(passwordFile, 0o600);
  return { passwordFile, aclFile, configFile, secretsFile, rules, secrets, hashedWith: useTool ? 'mosquitto_passwd' : 'pbkdf2' };
}
