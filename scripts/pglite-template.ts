import path from 'node:path';
import { projectRoot } from '@talent-hub/platform/paths';
import { templateFolder, writeClusterTemplate } from '@talent-hub/subgraph-lib/pglite-store';

// `npm run pglite:template`: makes again the empty PGlite cluster that new embedded data folders start from
// (packages/subgraph-lib/pglite-store.ts), after @electric-sql/pglite has changed version. Commit what it writes.

const manifest = await writeClusterTemplate();
process.stdout.write(`PGlite ${manifest.pglite}: ${path.relative(projectRoot, templateFolder)}/ written (sha256 ${manifest.sha256.slice(0, 12)}…)\n`);
