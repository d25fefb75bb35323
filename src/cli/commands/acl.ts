import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readSecrets, writeSecurityFiles } from '../../security/io/security-files.js';
import { action, loadTree } from '../cli-support.js';

/** Registers `strata acl`: mosquitto password, ACL and config files derived from the tree. */
export function register(program: Command): void {
  program
    .command('acl')
    .description('write a mosquitto password file, ACL and config snippet derived from the tree, plus secrets.json for the nodes')
    .argument('<config>', 'tree config (YAML)')
    .requiredOption('--out <dir>', 'where to write passwd, acl, mosquitto.conf and secrets.json')
    .option('--port <n>', 'listener port in the config snippet', '1883')
    .option('--new-passwords', 'make new passwords even if <dir>/secrets.json exists')
    .addHelpText(
      'after',
      `
Identities: one per node (user name = node id), "operator" (commands any node, reads
the tree) and "viewer" (reads the tree). Passwords are kept across re-runs unless
--new-passwords. Nodes get theirs with:
  strata launch <config> --broker mqtt://host:1883 --secrets <dir>/secrets.json
  STRATA_PASSWORD=... strata node <config> --id <id> --username <id> --broker ...`,
    )
    .action(
      action(async (file: string, flags: { out: string; port: string; newPasswords?: boolean }) => {
        const tree = await loadTree(file);
        const prior = join(flags.out, 'secrets.json');
        const existing = !flags.newPasswords && existsSync(prior) ? readSecrets(prior) : undefined;
        const w = writeSecurityFiles(tree, flags.out, { port: Number(flags.port), existing });
        process.stdout.write(
          `${w.rules.users.size} identities for tree ${tree.config.tree} (hashed with ${w.hashedWith}):\n` +
            `  ${w.passwordFile}\n  ${w.aclFile}\n  ${w.configFile}\n  ${w.secretsFile} (mode 600: keep it secret)\n` +
            `run: mosquitto -c ${w.configFile}\n`,
        );
      }),
    );
}
