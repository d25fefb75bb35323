import type { Command } from 'commander';
import { writeSchemas } from '../../tools/schema-export/write-schemas.js';
import { EXIT, action, loadTree } from '../cli-support.js';

/** Registers `strata schema`: JSON Schemas of every contract, and a tree's AsyncAPI document. */
export function register(program: Command): void {
  program
    .command('schema')
    .description('write JSON Schemas (draft 2020-12) of every wire message and the config; given a config, also an AsyncAPI 3.0 document of its topics')
    .argument('[config]', 'tree config (YAML): also write <tree>.asyncapi.json describing its channels')
    .option('--out <dir>', 'folder to write into', 'schemas')
    .addHelpText(
      'after',
      `
Files: command, status, sense, health, state, error, peer, device-point, write-args and
tree-config (.schema.json), generated from the zod contracts in src/contracts/. They
describe what a node accepts (fields with a default are optional).

Examples:
  strata schema --out schemas                     JSON Schemas only
  strata schema configs/demo.yaml --out schemas   plus schemas/demo.asyncapi.json`,
    )
    .action(
      action(async (file: string | undefined, opts: { out: string }) => {
        const tree = file ? await loadTree(file) : undefined;
        const files = writeSchemas(opts.out, tree);
        for (const f of files) process.stdout.write(`wrote ${f}\n`);
        process.exit(EXIT.ok);
      }),
    );
}
