import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../broker/embedded-broker.js';
import type { ResolvedTree } from '../../config/resolve-tree.js';
import { createAclHooks } from '../../security/aedes-hooks.js';
import { readSecrets, type Secrets } from '../../security/io/security-files.js';
import { strataSpawner } from '../../supervisor/io/spawn-process.js';
import { runNodeGroup } from '../../supervisor/io/run-node-group.js';
import { defaultBackoff } from '../../supervisor/restart-backoff.js';
import { Supervisor, type LaunchUnit } from '../../supervisor/supervisor.js';
import { RealClock } from '../../time/real-clock.js';
import { action, loadTree, loggerFor, withBrokerOptions } from '../cli-support.js';
import type { BrokerFlags } from '../connect.js';

interface LaunchFlags extends BrokerFlags {
  group: string[];
  secrets?: string;
  grace: string;
  restartMin: string;
  restartMax: string;
  stableAfter: string;
  seed?: string;
}

/** Splits the tree into processes: each `--group` shares one, every other node gets its own. */
export function planUnits(tree: ResolvedTree, groups: string[]): string[][] {
  const known = new Set(tree.specs.map((s) => s.id));
  const taken = new Set<string>();
  const units: string[][] = [];
  for (const g of groups) {
    const ids = g.split(',').map((s) => s.trim()).filter(Boolean);
    for (const id of ids) {
      if (!known.has(id)) throw new Error(`--group ${g}: no node "${id}" in tree ${tree.config.tree}; nodes are: ${[...known].join(', ')}`);
      if (taken.has(id)) throw new Error(`--group ${g}: node "${id}" is already in another group; a node runs in one process`);
      taken.add(id);
    }
    if (ids.length > 0) units.push(ids);
  }
  for (const s of tree.specs) if (!taken.has(s.id)) units.push([s.id]);
  return units;
}

/** The strata arguments (and environment) that run one unit against `url`. */
export function unitCommand(config: string, ids: string[], url: string, flags: LaunchFlags, logLevel: string, secrets: Secrets | undefined): LaunchUnit {
  const tls = [...(flags.ca ? ['--ca', resolve(flags.ca)] : []), ...(flags.cert ? ['--cert', resolve(flags.cert)] : []), ...(flags.key ? ['--key', resolve(flags.key)] : []), ...(flags.insecure ? ['--insecure'] : [])];
  const seed = flags.seed ? ['--seed', flags.seed] : [];
  const common = ['--log-level', logLevel];
  if (ids.length === 1) {
    const id = ids[0];
    const env: Record<string, string> = {};
    const user = secrets ? ['--username', id] : flags.username ? ['--username', flags.username] : [];
    const password = secrets ? secrets.users[id] : (flags.password ?? process.env.STRATA_PASSWORD);
    if (secrets && password === undefined) throw new Error(`the secrets file has no password for node "${id}"; regenerate it with strata acl`);
    if (password !== undefined) env.STRATA_PASSWORD = password;
    return { ids, args: [...common, 'node', config, '--id', id, '--broker', url, ...user, ...tls, ...seed], env };
  }
  const sec = flags.secrets ? ['--secrets', resolve(flags.secrets)] : flags.username ? ['--username', flags.username] : [];
  const shared = flags.password ?? process.env.STRATA_PASSWORD;
  const env: Record<string, string> = !flags.secrets && shared !== undefined ? { STRATA_PASSWORD: shared } : {};
  return { ids, args: [...common, 'node-group', config, '--ids', ids.join(','), '--broker', url, ...sec, ...tls, ...seed], env };
}

/** Registers `strata launch` and the hidden `strata node-group` it uses for groups. */
export function register(program: Command): void {
  withBrokerOptions(
    program
      .command('launch')
      .description('start every node (or --group of nodes) in its own process against one broker, restart them with backoff, stop them all on Ctrl-C')
      .argument('<config>', 'tree config (YAML)')
      .option('--group <ids>', 'comma-separated node ids that share one process (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
      .option('--secrets <file>', 'per-node passwords (secrets.json from `strata acl`); the embedded broker then enforces the ACL')
      .option('--grace <ms>', 'after SIGTERM, wait this long before SIGKILL', '5000')
      .option('--restart-min <ms>', 'first restart delay; it doubles while a process keeps failing', String(defaultBackoff.initialMs))
      .option('--restart-max <ms>', 'longest restart delay', String(defaultBackoff.maxMs))
      .option('--stable-after <ms>', 'a process up this long is healthy: its next restart is quick again', String(defaultBackoff.stableMs))
      .option('--seed <n>', 'random seed'),
  ).action(
    action(async (file: string, flags: LaunchFlags, cmd: Command) => {
      const log = loggerFor(cmd);
      const logLevel = (cmd.optsWithGlobals() as { logLevel: string }).logLevel;
      const tree = await loadTree(file);
      const secrets = flags.secrets ? readSecrets(flags.secrets) : undefined;
      let embedded: EmbeddedBroker | undefined;
      let url = flags.broker;
      if (!url) {
        const aedes = secrets ? createAclHooks(tree, secrets.users, log) : undefined;
        embedded = await startEmbeddedBroker({ port: flags.port !== undefined ? Number(flags.port) : tree.config.broker.port, log, aedes });
        url = embedded.url;
        process.stdout.write(`broker ${url}${secrets ? ' (ACL enforced)' : ''}\n`);
      }
      const units = planUnits(tree, flags.group).map((ids) => unitCommand(resolve(file), ids, url, flags, logLevel, secrets));
      const supervisor = new Supervisor({
        units,
        spawn: strataSpawner(),
        clock: new RealClock(),
        graceMs: Number(flags.grace),
        backoff: { initialMs: Number(flags.restartMin), maxMs: Number(flags.restartMax), stableMs: Number(flags.stableAfter) },
        onEvent: (e) => {
          const label = e.type === 'stopped' ? '' : e.unit.ids.join('+');
          if (e.type === 'started') for (const id of e.unit.ids) process.stdout.write(`node ${id} pid ${e.pid}\n`);
          else if (e.type === 'line') (e.stream === 'out' ? process.stdout : process.stderr).write(`[${label}] ${e.line}\n`);
          else if (e.type === 'exited') {
            const how = e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`;
            process.stderr.write(`[${label}] pid ${e.pid} ${how}${e.restartInMs !== undefined ? `; restarting in ${e.restartInMs} ms` : ''}\n`);
          }
        },
      });
      supervisor.start();
      await new Promise<void>((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      });
      process.stderr.write('launch: stopping every node (SIGTERM, then SIGKILL after the grace period)\n');
      await supervisor.stop();
      await embedded?.close();
      process.stdout.write('launch: all stopped\n');
    }),
  );

  withBrokerOptions(
    program
      .command('node-group', { hidden: true })
      .description('run several nodes of a tree in one process (used by strata launch --group)')
      .argument('<config>', 'tree config (YAML)')
      .requiredOption('--ids <ids>', 'comma-separated node ids')
      .option('--secrets <file>', 'per-node passwords (secrets.json)')
      .option('--seed <n>', 'random seed'),
  ).action(
    action(async (file: string, flags: BrokerFlags & { ids: string; secrets?: string; seed?: string }, cmd: Command) => {
      const tree = await loadTree(file);
      await runNodeGroup(tree, flags.ids.split(','), flags, flags.secrets ? readSecrets(flags.secrets) : undefined, loggerFor(cmd));
    }),
  );
}
