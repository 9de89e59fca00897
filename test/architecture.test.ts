import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '@talent-hub/platform/paths';

// The layout's rules, checked on the whole repository: no import circles, test helpers never loaded by production
// code, a gateway that loads no subgraph code, and every workspace declaring the packages it imports.

const config = createRequire(import.meta.url)(path.join(projectRoot, '.dependency-cruiser.cjs')) as {
  forbidden: unknown[];
  options: Record<string, unknown>;
};

async function violationsIn(baseDir: string, roots: string[]): Promise<IViolation[]> {
  const { output } = await cruise(roots, { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } } as never);
  return (output as ICruiseResult).summary.violations;
}

const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`;

const workspaceRoots = ['packages', 'gateway', 'subgraphs', 'examples', 'explorer', 'dashboard'];

describe('the import graph', () => {
  const fixtures: string[] = [];
  afterAll(() => fixtures.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('has no circle, no production import of a testing/ helper, and no subgraph code in the gateway', async () => {
    const violations = await violationsIn(projectRoot, [...workspaceRoots, 'scripts', 'bench', 'test']);
    expect(violations.map(describeViolation)).toEqual([]);
  });

  it('finds each kind of violation where there is one (the check can fail)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'talent-hub-imports-'));
    fixtures.push(dir);
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    };
    write('packages/platform/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
    write('packages/platform/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
    write('packages/platform/testing/fake.ts', 'export const fake = 1;\n');
    write('packages/platform/uses-fake.ts', "import { fake } from './testing/fake.js';\nexport const real = fake;\n");
    write('packages/subgraph-lib/db.ts', 'export const db = 1;\n');
    write('gateway/server.ts', "import { db } from '../packages/subgraph-lib/db.js';\nexport const server = db;\n");
    const found = (await violationsIn(dir, ['packages', 'gateway'])).map((v) => v.rule.name);
    expect(new Set(found)).toEqual(new Set(['no-circular', 'no-test-helpers-in-production', 'gateway-without-subgraph-code']));
  });
});

/** The TypeScript files of a folder, without build output and installed packages. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(projectRoot, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const child = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...tsFiles(child));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(child);
  }
  return out;
}

// Import and export statements at the start of a line (multi-line named imports included), and dynamic imports of a
// literal; a package specifier's shape only, so that GraphQL text or prose in strings never counts.
const statements = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const dynamicImports = /\bimport\(\s*['"]([^'"\s]+)['"]\s*\)/g;
const packageSpecifier = /^(?:@[a-z0-9._-]+\/)?[a-z0-9_-][a-z0-9._-]*(?:\/\S*)?$/;
const builtins = new Set(builtinModules);
/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readManifest = (dir: string) => JSON.parse(readFileSync(path.join(projectRoot, dir, 'package.json'), 'utf8')) as Manifest;

describe('workspace manifests', () => {
  const root = readManifest('.');
  const workspaces = workspaceRoots.flatMap((dir) =>
    readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).some((e) => e.name === 'package.json')
      ? [dir]
      : readdirSync(path.join(projectRoot, dir), { withFileTypes: true })
          .filter((e) => e.isDirectory() && readdirSync(path.join(projectRoot, dir, e.name)).includes('package.json'))
          .map((e) => `${dir}/${e.name}`),
  );

  it('cover every workspace folder', () => {
    expect(workspaces).toEqual(expect.arrayContaining(['packages/platform', 'packages/subgraph-lib', 'gateway', 'subgraphs/talents', 'examples', 'explorer', 'dashboard']));
  });

  it.each(workspaces)('%s declares every package its code imports (tests may also use the root tools)', (dir) => {
    const manifest = readManifest(dir);
    const own = new Set(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }));
    const tools = new Set(Object.keys({ ...root.devDependencies }));
    const problems: string[] = [];
    for (const file of tsFiles(dir)) {
      const forTests = file.endsWith('.test.ts') || file.includes('/testing/');
      const text = readFileSync(path.join(projectRoot, file), 'utf8');
      for (const [, specifier] of [...text.matchAll(statements), ...text.matchAll(dynamicImports)]) {
        if (!packageSpecifier.test(specifier!)) continue;
        const name = packageOf(specifier!);
        if (specifier!.startsWith('node:') || builtins.has(name) || name === manifest.name) continue;
        if (own.has(name) || own.has(`@types/${name}`) || (forTests && tools.has(name) && !name.startsWith('@talent-hub/'))) continue;
        problems.push(`${file}: imports ${specifier}, which ${dir}/package.json does not declare`);
      }
    }
    expect(problems).toEqual([]);
  });
});
