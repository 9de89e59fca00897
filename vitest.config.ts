import { defineConfig } from 'vitest/config';

// Two projects: unit tests live beside the code; end-to-end tests under test/ start real subgraphs and the
// gateway on free ports. Two cores here, so at most two workers. Workspace packages are imported by name and
// resolved to their TypeScript sources (the "@talent-hub/source" export condition), as tsc and `npm start` do.
// (Vite's own default conditions follow; packages from npm are loaded by Node as usual.)
const conditions = ['@talent-hub/source', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { APOLLO_TELEMETRY_DISABLED: '1' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/**/*.test.ts', 'gateway/**/*.test.ts', 'bench/**/*.test.ts', 'subgraphs/**/*.test.ts', 'scripts/**/*.test.ts', 'explorer/**/*.test.ts'],
          // A subgraph's own tests through the gateway (subgraphs/<name>/test/) are end-to-end tests.
          exclude: ['**/node_modules/**', '**/dist/**', 'subgraphs/*/test/**'],
        },
      },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts', 'subgraphs/*/test/**/*.test.ts'], exclude: ['**/node_modules/**', '**/dist/**'] } },
    ],
  },
});
