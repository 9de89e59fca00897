import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '@talent-hub/platform/paths';
import { subgraphRegistry } from '@talent-hub/platform/registry';
import { print } from 'graphql';
import { defaultTrustedDocumentsPath, documentHash, loadTrustedDocuments } from '@talent-hub/gateway/trusted-documents';
import { dashboardClientName } from '../dashboard/src/client-name.js';
import * as dashboard from '../dashboard/generated/operations.js';
import { enumTypesPath, generateEnumTypes, generateResolverTypes, modelMappers, resolverTypesPath } from '../scripts/codegen.js';
import { dashboardOperations, generateOperationTypes, operationFiles } from '../scripts/examples-codegen.js';

// The resolver types of each subgraph are generated from its schema (npm run codegen) and committed: a schema
// change that is not regenerated fails here, and then the type check tells which resolver no longer fits.

describe('generated resolver types', () => {
  it.each(subgraphRegistry().map((entry) => entry.name))('of %s are current (run `npm run codegen` after changing its schema or models)', async (name) => {
    expect(await generateResolverTypes(name)).toBe(readFileSync(path.join(projectRoot, resolverTypesPath(name)), 'utf8'));
    expect(await generateEnumTypes(name)).toBe(readFileSync(path.join(projectRoot, enumTypesPath(name)), 'utf8'));
  });

  const copies: string[] = [];
  afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('follow the schema: a field added to a copy of a subgraph appears in its types', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'talent-hub-codegen-'));
    copies.push(root);
    cpSync(path.join(projectRoot, 'subgraphs', 'regions'), path.join(root, 'subgraphs', 'regions'), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}node_modules`) && !source.includes(`${path.sep}dist`),
    });
    const schema = path.join(root, 'subgraphs', 'regions', 'schema.graphql');
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('type Region @key(fields: "code")', 'type Region @key(fields: "code") {\n  "A test field."\n  motto: String\n}\n\nextend type Region'));
    const generated = await generateResolverTypes('regions', root);
    expect(generated).toMatch(/motto\?: Resolver<Maybe<ResolversTypes\['String'\]>/);
  });

  it('map each `<Type>Model` of models.ts onto its type, and refuse a model of a type the schema lacks', () => {
    const mappers = modelMappers(projectRoot, 'talents', new Set(['Talent', 'Skill', 'TalentConnection', 'SkillConnection', 'Region', 'Organisation', 'Programme', 'Mentorship',
      'MentorshipConnection', 'Exchange', 'ExchangeConnection', 'MentorMatch', 'MatchReasons']));
    expect(mappers.Talent).toBe('../models.js#TalentModel');
    expect(() => modelMappers(projectRoot, 'talents', new Set(['Skill']))).toThrow(/exports TalentModel, but the schema has no type Talent/);
  });
});

// The dashboard's operations are typed like the examples' (scripts/examples-codegen.ts; test/examples.test.ts checks
// how codegen refuses an operation that no longer fits the schema) and trusted for its client name.
describe("the dashboard's typed operations", () => {
  it('dashboard/generated/operations.ts is what codegen makes of dashboard/operations and schema/api.graphql today', async () => {
    const committed = readFileSync(path.join(projectRoot, dashboardOperations.generated), 'utf8');
    const generated = await generateOperationTypes(dashboardOperations);
    expect(committed === generated, 'dashboard/generated/operations.ts is stale: run `npm run codegen` and commit it').toBe(true);
  });

  it('hold one document per operation file, each trusted for the talent-hub-dashboard client as the client sends it', () => {
    const documents = Object.entries(dashboard).filter(([name]) => name.endsWith('Document'));
    expect(documents.length).toBe(operationFiles(dashboardOperations, projectRoot).length);
    const trusted = loadTrustedDocuments(defaultTrustedDocumentsPath);
    for (const [name, document] of documents) {
      const id = documentHash(print(document as Parameters<typeof print>[0]));
      expect(trusted.trusts(id, dashboardClientName), name).toBe(true);
      // Trusted for the dashboard only: another client naming itself cannot send them under enforce.
      expect(trusted.trusts(id, 'talent-hub-examples'), name).toBe(false);
    }
  });
});
