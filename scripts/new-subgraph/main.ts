import { parseArgs } from 'node:util';
import { projectRoot } from '@talent-hub/platform/paths';
import { scaffoldSubgraph, ScaffoldRefusal } from './scaffold.js';

// npm run subgraph:new -- <name> [--owner <organisation id>] [--description "<one line>"]
// Exit codes: 0 made; 2 refused (bad or taken name; nothing changed); 1 failed on the way (everything put back).

const usage = 'Usage: npm run subgraph:new -- <name> [--owner <organisation id>] [--description "<what it serves>"]\n' +
  '  <name>: lowercase letters and single hyphens, e.g. badges or skills-passport';

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { owner: { type: 'string' }, description: { type: 'string' }, help: { type: 'boolean' } } });
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (positionals.length !== 1) {
  console.error(`Give exactly one name.\n${usage}`);
  process.exit(2);
}

try {
  const { names, files } = await scaffoldSubgraph({
    root: projectRoot,
    name: positionals[0]!,
    ...(values.owner !== undefined ? { owner: values.owner } : {}),
    ...(values.description !== undefined ? { description: values.description } : {}),
    log: (line) => console.log(line),
  });
  console.log(`\nMade the ${names.name} subgraph (port ${names.port}); ${files.length} files written or changed.`);
  console.log(`Next: npm test, then npm start and ask http://localhost:4000/ for { region(code: "ITH5") { ${names.camel} { __typename id name } } }`);
  console.log('Commit the new folder with subgraphs/registry.json, schema/, deploy/ and package-lock.json.');
} catch (error) {
  const refused = error instanceof ScaffoldRefusal;
  console.error(`${refused ? 'Refused, nothing was changed' : 'Failed, every file was put back'}: ${(error as Error).message}`);
  process.exit(refused ? 2 : 1);
}
