import { projectRoot } from '@talent-hub/platform/paths';
import { readRegistry } from '@talent-hub/platform/registry';
import { generateDeployFiles, outdatedDeployFiles } from './generate.js';

// npm run deploy:generate             writes deploy/compose.yaml, deploy/k8s/*, deploy/postgres/init.sql from
//                                     subgraphs/registry.json
// npm run deploy:generate -- --check  writes nothing; exits 1 when a committed file is not what the registry gives
//                                     (for CI; test/deploy.test.ts checks the same)

const registry = readRegistry();
if (process.argv.includes('--check')) {
  const problems = outdatedDeployFiles(registry, projectRoot);
  if (problems.length > 0) {
    console.error(`The deployment files are out of date; run \`npm run deploy:generate\`:\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log('The deployment files are up to date with subgraphs/registry.json.');
} else {
  const { written, removed, unchanged } = generateDeployFiles(registry, projectRoot);
  for (const file of written) console.log(`wrote   ${file}`);
  for (const file of removed) console.log(`removed ${file}`);
  console.log(`${written.length} written, ${removed.length} removed, ${unchanged.length} unchanged (${registry.length} subgraphs in the registry)`);
}
