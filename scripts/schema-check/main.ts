import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '@talent-hub/platform/paths';
import { runSchemaCheck } from './check.js';
import { loadCheckInput } from './load.js';
import { formatReport } from './report.js';

// `npm run schema:check [-- --base <ref>]`: checks the working tree's subgraph schemas and the API schema composed
// from them against the committed ones at a git ref (main by default). Exit 0 when there is no error, 1 when
// there is one (breaking change not allowed, lint problem, composition error), 2 when it cannot run.

const usage = `Usage: npm run schema:check -- [--base <ref>] [--root <dir>] [--verbose]
  --base <ref>   git ref to compare with (default: main)
  --root <dir>   project root (default: this checkout)
  --verbose      list every safe change`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { base: { type: 'string', default: 'main' }, root: { type: 'string' }, verbose: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const root = values.root ? path.resolve(values.root) : projectRoot;
  let input;
  try {
    input = loadCheckInput(root, values.base);
  } catch (error) {
    console.error(`schema:check cannot run: ${(error as Error).message}`);
    return 2;
  }
  const report = await runSchemaCheck(input);
  process.stdout.write(formatReport(report, { color: process.stdout.isTTY === true && !process.env['NO_COLOR'], verbose: values.verbose }));
  return report.failed ? 1 : 0;
}

process.exitCode = await main();
