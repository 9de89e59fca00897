// The files of a new subgraph, as `npm run subgraph:new -- <name>` writes them: the layout every subgraph has (see
// the README's Layout), with one example entity the subgraph owns and one field it adds to the regions subgraph's
// Region, demo rows for Emilia-Romagna (ITH5), a unit test and a test through the gateway.

/** The names a subgraph's files use, all derived from its registry name. */
export interface Names {
  /** `skills-passport` */
  name: string;
  /** `SkillsPassport`: its database, loaders and module types. */
  pascal: string;
  /** `skillsPassport`: its module variable and the field it adds to Region. */
  camel: string;
  /** `Badge` for `badges`: the example entity type. */
  entity: string;
  /** `badge`: the root field that reads one example entity. */
  entityField: string;
  /** `skills_passport`: the example entities' table. */
  table: string;
  port: number;
  owner: string;
  description: string;
}

const words = (name: string) => name.split('-');
const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export function namesOf(name: string, port: number, owner: string, description: string): Names {
  const pascal = words(name).map(capital).join('');
  // A plain English singular for the example entity: `badges` holds Badge entities.
  const entity = /[^s]s$/.test(pascal) ? pascal.slice(0, -1) : pascal;
  return {
    name,
    pascal,
    camel: pascal.charAt(0).toLowerCase() + pascal.slice(1),
    entity,
    entityField: entity.charAt(0).toLowerCase() + entity.slice(1),
    table: name.replaceAll('-', '_'),
    port,
    owner,
    description,
  };
}

/** The cache hint directive every subgraph declares, word for word (composition compares the enum's texts). */
const cacheHints = `# Cache hints, read by Apollo Server's cache control: each answer's Cache-Control header says how long it may be
# reused and by whom, and the gateway caches whole answers accordingly (gateway/cache/).
# @inaccessible: the enum only types the argument of @cacheControl, which stays in the subgraphs, so it is kept out
# of the API schema that clients see.
"Who may be given a cached answer: anyone (PUBLIC) or only the caller it was made for (PRIVATE)."
enum CacheControlScope @inaccessible {
  "Any caller."
  PUBLIC
  "Only the caller the answer was made for."
  PRIVATE
}

"How long a field's value may be reused (seconds), by whom, or that it lives as long as its parent's."
directive @cacheControl(
  """
  Seconds the value may be reused. Without a hint on the field or its type, a root field or a field returning an
  object gets 0 (not cached) and any other field takes its parent's.
  """
  maxAge: Int
  "PRIVATE when the value is made for the caller alone; PUBLIC when absent."
  scope: CacheControlScope
  "True: the field, or a field returning this type, takes its parent field's maxAge instead of 0. Not with \`maxAge\`."
  inheritMaxAge: Boolean
) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION`;

/** The regions subgraph's description of Region, which every subgraph adding to it repeats. */
const regionDescription = `"""
A NUTS 2024 statistical region (Eurostat). Codes: two letters for the country (level 0), then one character per
level down to level 3, e.g. \`IT\` > \`ITH\` > \`ITH5\` (Emilia-Romagna) > \`ITH55\` (Bologna).
"""`;

/** Every file of a new subgraph, by path relative to its folder. */
export function subgraphFiles(n: Names): Record<string, string> {
  return {
    'package.json': `${JSON.stringify(
      {
        name: `@talent-hub/${n.name}`,
        version: '0.1.0',
        private: true,
        description: `The ${n.name} subgraph: ${n.description}`,
        type: 'module',
        exports: { './*': { '@talent-hub/source': './*.ts', types: './dist/*.d.ts', default: './dist/*.js' } },
        dependencies: { '@talent-hub/platform': '0.1.0', '@talent-hub/subgraph-lib': '0.1.0', graphql: '^16.15.0', kysely: '^0.28.18' },
      },
      null,
      2,
    )}\n`,

    'tsconfig.build.json': `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": ".", "outDir": "dist", "composite": true, "declaration": true },
  "include": ["**/*.ts"],
  "exclude": ["dist", "node_modules", "**/*.test.ts", "testing", "test"],
  "references": [{ "path": "../../packages/platform/tsconfig.build.json" }, { "path": "../../packages/subgraph-lib/tsconfig.build.json" }]
}
`,

    'schema.graphql': `# Subgraph \`${n.name}\`, owned by \`${n.owner}\`: ${n.description}
# Scaffolded by \`npm run subgraph:new\` with one example entity (${n.entity}) and the field it adds to the regions
# subgraph's Region (Region.${n.camel}); replace them with the subgraph's own. After a change: npm run codegen,
# npm run compose, npm run schema:check.
# Every list field says how long it can be (@listSize), for the gateway's cost estimate (README, Demand control).
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@inaccessible", "@listSize"])

${cacheHints}

"The example entity of the \`${n.name}\` subgraph, which owns it: a named item of a region."
type ${n.entity} @key(fields: "id") @cacheControl(maxAge: 60) {
  "Stable id, a lowercase slug such as \`ith5-example-1\`."
  id: ID!
  "What it is called."
  name: String!
  "The region it belongs to."
  region: Region!
}

type Query {
  "The ${n.entity} with this id; null when none has it."
  ${n.entityField}(
    "Its id, a lowercase slug."
    id: ID!
  ): ${n.entity}
}

# Owned by \`regions\`; this subgraph adds the example entities of each region.
${regionDescription}
type Region @key(fields: "code") @cacheControl(maxAge: 60) {
  "The NUTS 2024 code."
  code: ID!
  "The ${n.entity} items of this region (of its own code, not its sub-regions), in id order; at most 100."
  ${n.camel}: [${n.entity}!]! @listSize(assumedSize: 100)
}
`,

    'server.ts': `import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { sourceFile } from '@talent-hub/platform/paths';
import type { SubgraphModule } from '@talent-hub/subgraph-lib/subgraph';
import { migrations } from './db/migrations/index.js';
import type { ${n.pascal}Database } from './db/types.js';
import { createLoaders, type ${n.pascal}Loaders } from './loaders.js';
import { resolvers } from './resolvers.js';
import { seed } from './seed/index.js';

/** The \`${n.name}\` subgraph: ${n.description} Building it has no side effects. */
export const ${n.camel}Subgraph: SubgraphModule<${n.pascal}Database, ${n.pascal}Loaders> = {
  name: '${n.name}',
  typeDefs: parse(readFileSync(sourceFile(import.meta.url, 'schema.graphql'), 'utf8')),
  resolvers,
  migrations,
  seed,
  createLoaders,
};

/** What the registry-driven tools load (test harness, data generator): \`@talent-hub/${n.name}/server\`'s default export. */
export default ${n.camel}Subgraph;
`,

    'main.ts': `import { readSubgraphConfig } from '@talent-hub/subgraph-lib/config';
import { runSubgraph } from '@talent-hub/subgraph-lib/subgraph';
import { ${n.camel}Subgraph } from './server.js';

// Reads the configuration (port and peers from subgraphs/registry.json, overridden by the environment), migrates,
// seeds and listens until SIGTERM.
await runSubgraph(${n.camel}Subgraph, readSubgraphConfig(${n.camel}Subgraph.name));
`,

    'context.ts': `import type { SubgraphContext } from '@talent-hub/subgraph-lib/subgraph';
import type { ${n.pascal}Database } from './db/types.js';
import type { ${n.pascal}Loaders } from './loaders.js';

/** What every resolver of this subgraph receives. */
export type Context = SubgraphContext<${n.pascal}Database, ${n.pascal}Loaders>;
`,

    'models.ts': `import type { EntityRef } from '@talent-hub/subgraph-lib/subgraph';
import type { ${n.entity}Table } from './db/types.js';

// What each GraphQL type's resolvers receive as their parent here: the row the repository read, or a reference to
// another subgraph's entity (the gateway fetches its other fields there). \`npm run codegen\` maps every
// \`<Type>Model\` below onto the schema's type of that name (generated/resolvers.ts).

export type ${n.entity}Model = ${n.entity}Table;
export type RegionModel = EntityRef<'code'>;
`,

    'loaders.ts': `import type { Kysely } from 'kysely';
import { listLoader, rowLoader } from '@talent-hub/subgraph-lib/loaders';
import * as repo from './db/repository.js';
import type { ${n.pascal}Database } from './db/types.js';

/** This request's DataLoaders: one batched SQL statement per batch, nothing shared between requests. */
export function createLoaders(db: Kysely<${n.pascal}Database>) {
  return {
    ${n.entityField}: rowLoader((ids) => repo.find${n.entity}s(db, ids), (row) => row.id),
    ofRegion: listLoader((codes) => repo.list${n.entity}sOfRegions(db, codes), (row) => row.region_code),
  };
}

export type ${n.pascal}Loaders = ReturnType<typeof createLoaders>;
`,

    'resolvers.ts': `import { parseSlug } from '@talent-hub/subgraph-lib/validate';
import type { Resolvers } from './generated/resolvers.js';

// Thin resolvers: read arguments, call a loader, map rows to the schema's shape. \`Resolvers\` (generated from the
// schema by \`npm run codegen\`) types every one of them.

export const resolvers: Resolvers = {
  Query: {
    ${n.entityField}: (_, args, ctx) => ctx.loaders.${n.entityField}.load(parseSlug(args.id)),
  },

  ${n.entity}: {
    __resolveReference: (ref, ctx) => ctx.loaders.${n.entityField}.load(ref.id),
    region: (row) => ({ code: row.region_code }),
  },

  Region: {
    ${n.camel}: (region, _, ctx) => ctx.loaders.ofRegion.load(region.code),
  },
};
`,

    'db/types.ts': `import type { ColumnType } from 'kysely';

// Table types of the \`${n.name}\` database.

export interface ${n.entity}Table {
  id: string;
  name: string;
  /** The NUTS 2024 code of its region (a Region of the regions subgraph). */
  region_code: string;
}

export interface DemoSeedTable {
  name: string;
  version: number;
  seeded_at: ColumnType<Date, Date, Date>;
}

export interface ${n.pascal}Database {
  ${n.table}: ${n.entity}Table;
  demo_seed: DemoSeedTable;
}
`,

    'db/repository.ts': `import type { Kysely } from 'kysely';
import { parentKeys } from '@talent-hub/subgraph-lib/sql';
import type { ${n.pascal}Database } from './types.js';

// Repository functions of the \`${n.name}\` subgraph: \`db\` first, one SQL statement each, every list bounded.

type Db = Kysely<${n.pascal}Database>;

/** Most items one region lists (Region.${n.camel}). */
export const SHORT_LIST_MAX = 100;

export function find${n.entity}s(db: Db, ids: readonly string[]) {
  return db.selectFrom('${n.table}').selectAll().where('id', 'in', [...ids]).execute();
}

/** The items of each region, in id order, at most SHORT_LIST_MAX each: one statement for any number of regions. */
export function list${n.entity}sOfRegions(db: Db, regionCodes: readonly string[]) {
  return db
    .selectFrom(parentKeys(regionCodes))
    .innerJoinLateral(
      (eb) => eb.selectFrom('${n.table}').selectAll().whereRef('${n.table}.region_code', '=', 'k.key').orderBy('${n.table}.id').limit(SHORT_LIST_MAX).as('item'),
      (join) => join.onTrue(),
    )
    .selectAll('item')
    .execute();
}
`,

    'db/migrations/0001_initial.ts': `import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.

// One statement per query: the embedded store (PGlite) prepares each query and cannot take several at once.
const statements = \`
    create table demo_seed (
      name text primary key,
      version integer not null,
      seeded_at timestamptz not null
    );

    create table ${n.table} (
      id text primary key check (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(id) <= 100),
      name text not null check (length(name) between 1 and 200),
      region_code text not null check (region_code ~ '^[A-Z]{2}[A-Z0-9]{0,3}$')
    );
    create index ${n.table}_region_idx on ${n.table} (region_code, id);
\`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements.split(/;\\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql\`drop table ${n.table}, demo_seed\`.execute(db);
}
`,

    'db/migrations/index.ts': `import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';

/** Every migration of this subgraph, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
};
`,

    'seed/index.ts': `import type { Kysely } from 'kysely';
import { applySeed, insertInChunks } from '@talent-hub/subgraph-lib/seed';
import type { ${n.entity}Table, ${n.pascal}Database } from '../db/types.js';

/** Bump when the demo data changes, so existing embedded databases are topped up on next start. */
const SEED_VERSION = 1;

/** Demo rows: examples in Emilia-Romagna (ITH5), marked as examples by their names. */
export const demo${n.entity}s: ${n.entity}Table[] = [1, 2, 3].map((i) => ({
  id: \`ith5-example-\${i}\`,
  name: \`Example ${n.entity} \${i} of Emilia-Romagna\`,
  region_code: 'ITH5',
}));

export function seed(db: Kysely<${n.pascal}Database>): Promise<boolean> {
  return applySeed(db, '${n.name}', SEED_VERSION, async (trx) => {
    await insertInChunks(trx, '${n.table}', demo${n.entity}s);
  });
}
`,

    'resolvers.test.ts': `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { ${n.pascal}Database } from './db/types.js';
import { demo${n.entity}s } from './seed/index.js';
import { ${n.camel}Subgraph } from './server.js';

let subgraph: TestSubgraph<${n.pascal}Database>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(${n.camel}Subgraph);
});
afterAll(() => subgraph.stop());

describe('Query.${n.entityField}', () => {
  it('answers a seeded item with its region, null for an unknown id, BAD_USER_INPUT for a malformed one', async () => {
    const { data, errors } = await subgraph.query('{ ${n.entityField}(id: "ith5-example-1") { id name region { code } } }');
    expect(errors).toBeUndefined();
    expect(data.${n.entityField}).toEqual({ id: 'ith5-example-1', name: demo${n.entity}s[0]!.name, region: { code: 'ITH5' } });
    expect((await subgraph.query('{ ${n.entityField}(id: "none-here") { id } }')).data).toEqual({ ${n.entityField}: null });
    expect(errorCodes(await subgraph.query('{ ${n.entityField}(id: "Not A Slug") { id } }'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('Region.${n.camel}', () => {
  const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Region { code ${n.camel} { id } } } }';
  const regions = (codes: string[]) => ({ r: codes.map((code) => ({ __typename: 'Region', code })) });

  it("lists a region's items in id order, and none for a region without any", async () => {
    const { data, errors } = await subgraph.query(query, regions(['ITH5', 'BE10']));
    expect(errors).toBeUndefined();
    expect(data._entities).toEqual([
      { code: 'ITH5', ${n.camel}: demo${n.entity}s.map((item) => ({ id: item.id })) },
      { code: 'BE10', ${n.camel}: [] },
    ]);
  });

  it('costs one SQL statement for 100 regions as for 1 (no N+1)', async () => {
    const one = await subgraph.countStatements(query, regions(['ITH5']));
    const many = await subgraph.countStatements(query, regions(Array.from({ length: 100 }, (_, i) => \`IT\${String(i).padStart(3, '0')}\`)));
    expect(many.result.errors).toBeUndefined();
    expect([one.statements, many.statements]).toEqual([1, 1]);
  });
});
`,

    'test/gateway.test.ts': `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The whole graph (every subgraph of the registry and the gateway), from the repository's end-to-end harness.
import { startStack, storeKinds, type Stack } from '../../../test/harness.js';
import { demo${n.entity}s } from '../seed/index.js';

describe.each(storeKinds)('the ${n.name} subgraph through the gateway (%s)', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
  });
  afterAll(() => stack?.stop());

  it('adds its items to a region of the regions subgraph', async () => {
    const { status, body } = await stack.query('{ region(code: "ITH5") { name ${n.camel} { __typename id name } } }');
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { region: { name: 'Emilia-Romagna', ${n.camel}: demo${n.entity}s.map((item) => ({ __typename: '${n.entity}', id: item.id, name: item.name })) } },
    });
  });

  it("answers an item with its region's fields from the regions subgraph", async () => {
    const { body } = await stack.query('{ ${n.entityField}(id: "ith5-example-2") { name region { code name } } }');
    expect(body).toEqual({ data: { ${n.entityField}: { name: demo${n.entity}s[1]!.name, region: { code: 'ITH5', name: 'Emilia-Romagna' } } } });
  });
});
`,
  };
}
