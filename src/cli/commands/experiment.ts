import type { Command } from 'commander';
import { ExperimentError } from '../../experiment/experiment-schema.js';
import { runExperiment } from '../../experiment/io/run-experiment.js';
import { EXIT, action } from '../cli-support.js';

const count = (flag: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} ${v}: give a whole number of at least 1`);
  return n;
};

/** Registers `strata experiment`: a sweep over config parameters × seeds in worker processes. */
export function register(program: Command): void {
  program
    .command('experiment')
    .description('run a grid or random sweep over config parameters × seeds in parallel worker processes; write CSV, JSON, a summary table and SVG plots')
    .argument('<file>', 'experiment file (YAML), e.g. configs/experiments/replan-vs-avoid.yaml')
    .option('--workers <n>', 'worker processes (default: the number of cores; at most the cores)', count('--workers'))
    .option('--out <dir>', 'where results go (default: out/experiments/<name>)')
    .option('--seeds <n>', "run seeds 1..n instead of the file's seeds", count('--seeds'))
    .addHelpText('after', '\nExample:\n  strata experiment configs/experiments/demo-sweep.yaml --workers 2 --out out/demo-sweep')
    .action(
      action(async (file: string, opts: { workers?: number; out?: string; seeds?: number }) => {
        let result;
        try {
          result = await runExperiment(file, opts);
        } catch (err) {
          if (!(err instanceof ExperimentError)) throw err;
          process.stderr.write(`${err.message}\n`);
          process.exit(EXIT.usage);
        }
        const failed = result.records.filter((r) => !r.ok);
        process.stdout.write(`\n${result.experiment.question ? `${result.experiment.question.trim()}\n\n` : ''}${result.table}`);
        for (const r of failed.slice(0, 5)) process.stdout.write(`failed: setting ${r.setting + 1}, seed ${r.seed}: ${r.error?.split('\n')[0]}\n`);
        for (const f of result.files) process.stdout.write(`wrote ${f}\n`);
        process.exit(failed.length === result.records.length ? EXIT.failed : EXIT.ok);
      }),
    );
}
