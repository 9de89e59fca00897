import { readFileSync } from 'node:fs';
import { markdownReport, summariseResults, type BenchResults } from './report.js';

// `node dist/bench/render.js bench/results/<file>.json`: the markdown report of a finished run again, with the
// report code of today (a run's JSON keeps every window).
const file = process.argv[2];
if (!file) {
  console.error('usage: node dist/bench/render.js bench/results/<timestamp>.json');
  process.exit(2);
}
const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
summariseResults(results);
console.log(markdownReport(results));
