// Runs the benchmarks: `npm run bench` (all) or `npm run bench -- hop chain` (some).
// Prints a table and merges the figures into bench-results.json, keyed by benchmark name.
// `npm run bench` compiles first (tsconfig.bench.json) and runs the JavaScript, as users
// run strata; `npx tsx test/bench/run.ts` also works, with tsx's transform costs in the figures.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, Figures } from './benchmark.js';

const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(packageRoot(here), 'bench-results.json');

/** The folder holding package.json, above this file (its source or its compiled copy under dist/bench). */
function packageRoot(from: string): string {
  for (let d = from; d !== dirname(d); d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
  }
  return process.cwd();
}

async function discover(): Promise<Benchmark[]> {
  const files = readdirSync(here).filter((f) => /\.bench\.[jt]s$/.test(f)).sort();
  const found: Benchmark[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { bench?: Benchmark };
    if (!mod.bench) throw new Error(`${f}: export a "bench" object (see test/bench/benchmark.ts)`);
    found.push(mod.bench);
  }
  return found;
}

function table(rows: Array<[string, string, string]>): string {
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 2 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const all = await discover();
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: npm run bench [-- name ...]\n\nbenchmarks:');
    for (const b of all) console.log(`  ${b.name.padEnd(10)} ${b.description}`);
    return;
  }
  const unknown = args.filter((a) => !all.some((b) => b.name === a));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const chosen = args.length > 0 ? all.filter((b) => args.includes(b.name)) : all;
  const results: Record<string, Figures> = existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')) : {};
  const rows: Array<[string, string, string]> = [['benchmark', 'figure', 'value']];
  for (const b of chosen) {
    console.error(`• ${b.name}: ${b.description}`);
    const started = Date.now();
    const figures = await b.run({ log: (m) => console.error(`  ${b.name}: ${m}`) });
    results[b.name] = { ...figures, ran_at: new Date().toISOString(), wall_s: (Date.now() - started) / 1000 };
    for (const [k, v] of Object.entries(figures)) rows.push([b.name, k, String(v)]);
  }
  results._machine = {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    mem_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  } as unknown as Figures;
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(table(rows));
  // Figures mean little without the machine: say what it was, and how busy.
  const m = results._machine as unknown as { cpus: number; cpu_model: string; mem_gib: number; node: string };
  console.log(`\nmachine: ${m.cpus} × ${m.cpu_model}, ${m.mem_gib} GiB, Node ${m.node}, load average ${loadavg()[0].toFixed(2)} now`);
  console.log(`wrote ${outFile}`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
