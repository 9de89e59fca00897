import { defineConfig } from 'vitest/config';

// Two projects: unit tests live beside the code; end-to-end tests under test/ start real subgraphs and the
// gateway on free ports. Two cores here, so at most two workers.
export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { APOLLO_TELEMETRY_DISABLED: '1' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['gateway/**/*.test.ts', 'subgraphs/**/*.test.ts', 'scripts/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'] } },
    ],
  },
});
