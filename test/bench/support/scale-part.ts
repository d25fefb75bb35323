// One process of the split scale run: `node --import tsx scale-part.ts <url> <tree> <part> <parts>`.
// Builds the whole tree's config, runs every parts-th node from `part`, starts on "go"
// (a line on stdin, so process start-up is not timed), stops on "stop".
import { createInterface } from 'node:readline';
import { MqttLink } from '../../../src/link/mqtt-link.js';
import { silentLogger } from '../../../src/log/logger.js';
import { createRandom } from '../../../src/time/random.js';
import { RealClock, wallStopwatch } from '../../../src/time/real-clock.js';
import { TreeRun } from '../../../src/tree/tree-run.js';
import { scaleTree } from './scale-tree.js';

const [url, treeId, partArg, partsArg, sessionArg] = process.argv.slice(2);
const part = Number(partArg);
const parts = Number(partsArg);
const tree = await scaleTree(treeId);
const only = tree.specs.filter((_, i) => i % parts === part).map((s) => s.id);
const run = new TreeRun({
  tree,
  clock: new RealClock(),
  random: createRandom(part + 1),
  log: silentLogger,
  link: ({ clientId, will, tap }) => new MqttLink({ clientId, will, tap, endpoint: { url } }),
  session: Number(sessionArg),
  stopwatch: wallStopwatch,
  only,
  clearRetained: false,
});
const lines = createInterface({ input: process.stdin });
process.stdout.write(`ready ${only.length}\n`);
for await (const line of lines) {
  if (line === 'go') {
    await run.start();
    process.stdout.write(`started ${process.memoryUsage().rss}\n`);
  } else if (line === 'rss') {
    process.stdout.write(`rss ${process.memoryUsage().rss}\n`);
  } else if (line === 'stop') {
    await run.stop('bench over');
    process.stdout.write('stopped\n');
    process.exit(0);
  }
}
