// dependency-cruiser: the import graph of every workspace and of the root's scripts and tests, read with the swc
// parser (TypeScript 7 has no JavaScript API for dependency-cruiser to use). Workspaces are followed into each other
// through their sources (the @talent-hub/source export condition), so a circle across packages shows too.
// Checked by test/architecture.test.ts; by hand: npx depcruise packages gateway subgraphs examples explorer dashboard scripts bench test
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other, directly or through others, load in an order that depends on who came first.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-helpers-in-production',
      severity: 'error',
      comment: 'testing/ folders are left out of the build: production code that imports them would fail once compiled.',
      from: { path: '^(packages|gateway|subgraphs|examples|explorer|dashboard)/', pathNot: '(\\.test\\.ts$|/testing/)' },
      to: { path: '/testing/' },
    },
    {
      name: 'gateway-without-subgraph-code',
      severity: 'error',
      comment: 'The gateway holds no data: it must not load the subgraph library or a subgraph (and their database drivers).',
      from: { path: '^gateway/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(packages/subgraph-lib|subgraphs)/' },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    // .tsx (the explorer's React components) is left out: dependency-cruiser hands it to swc as plain TypeScript,
    // which cannot parse JSX. The explorer's .ts modules, where its imports of other workspaces live, are checked.
    exclude: { path: '((^|/)dist/|\\.tsx$)' },
    combinedDependencies: true,
    tsPreCompilationDeps: false,
    enhancedResolveOptions: {
      conditionNames: ['@talent-hub/source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
