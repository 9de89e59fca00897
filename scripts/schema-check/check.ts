import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Change } from '@graphql-inspector/core';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { allowFilePath, parseAllowFile, type AllowEntry } from './allow-file.js';
import { classify } from './classify.js';
import { composeInMemory } from './compose-graph.js';
import { compositionFinding, hintFinding } from './composition-findings.js';
import { buildApiForDiff, buildSubgraphForDiff, isFederationMachinery, renamedFederationUsages, schemaChanges } from './diffing.js';
import { finding, type Finding } from './findings.js';
import { lintSchema } from './lint.js';
import { apiFile, locator, type Locator } from './locate.js';
import { coordinateOfPath, indexSdl } from './sdl-index.js';
import { readSubgraph, readVersion, subgraphFile, type SubgraphVersions, type Version } from './versions.js';

// The schema check, in process, without git: the caller gives every schema as text, the base version and the
// current one (scripts/schema-check/load.ts reads them from the working tree and a git ref). Steps: lint the
// subgraph SDLs; compose them in memory (errors, hints, the API schema); classify each change of each subgraph
// and of the API schema; lint the API schema; report allow entries that matched nothing.

export { apiFile, subgraphFile };

export interface SubgraphTexts {
  name: string;
  /** The working tree's SDL. */
  current: string;
  /** The SDL at the base; undefined when the subgraph is new (absent at the base). */
  base: string | undefined;
}

export interface CheckInput {
  /** The project root: files are named relative to it, and the allow-file is read from it unless given. */
  root: string;
  /** How messages name the base, e.g. `main@c75df8f`. */
  baseLabel: string;
  /** The subgraphs of the current registry, in registry order. */
  subgraphs: readonly SubgraphTexts[];
  /** The API schema at the base (the committed schema/api.graphql); undefined when it did not exist. */
  baseApi: string | undefined;
  /** Subgraphs of the base registry that the current one no longer lists. */
  removedSubgraphs?: readonly string[];
  /** The allow-file's text; when undefined it is read from `<root>/schema/allowed-breaking-changes.json`, if there. */
  allowFile?: string | undefined;
}

export interface CheckReport {
  baseLabel: string;
  subgraphs: string[];
  findings: Finding[];
  /** True when any finding is an error: the check fails. */
  failed: boolean;
}

interface Context {
  input: CheckInput;
  findings: Finding[];
  entries: AllowEntry[];
  subgraphs: SubgraphVersions[];
  locate: Locator;
  baseApi: Version | undefined;
  /** The API schema composed from the working tree; undefined when composition failed. */
  currentApi: Version | undefined;
}

export async function runSchemaCheck(input: CheckInput): Promise<CheckReport> {
  const findings: Finding[] = [];
  const allow = parseAllowFile(input.allowFile ?? readIfExists(path.join(input.root, allowFilePath)));
  findings.push(...allow.problems);
  const subgraphs = input.subgraphs.map((s) => readSubgraph(s.name, s.current, s.base, input.baseLabel, findings));
  const context: Context = {
    input,
    findings,
    entries: allow.entries,
    subgraphs,
    locate: locator(subgraphs, input.baseLabel),
    baseApi: input.baseApi === undefined ? undefined : readVersion('api', apiFile, input.baseApi, input.baseLabel, findings),
    currentApi: undefined,
  };

  const subgraphLint = lintSubgraphs(context);
  context.currentApi = compose(context);
  await subgraphChanges(context);
  reportRemovedSubgraphs(context);
  if (context.currentApi) {
    lintApi(context, context.currentApi, subgraphLint);
    await apiChanges(context, context.currentApi);
  }
  reportUnusedEntries(context);

  return { baseLabel: input.baseLabel, subgraphs: input.subgraphs.map((s) => s.name), findings, failed: findings.some((f) => f.level === 'error') };
}

/** Lints each subgraph SDL; returns the problems found (`rule coordinate`), which the API lint does not repeat. */
function lintSubgraphs({ subgraphs, findings }: Context): Set<string> {
  const reported = new Set<string>();
  for (const subgraph of subgraphs) {
    if (!subgraph.current) continue;
    for (const problem of lintSchema(subgraph.current.index, { unusedTypes: false })) {
      reported.add(`${problem.rule} ${problem.coordinate}`);
      findings.push(
        finding({ level: 'error', kind: 'lint', schema: subgraph.name, code: problem.rule, coordinate: problem.coordinate, message: problem.message, locations: [{ file: subgraph.file, line: problem.line }] }),
      );
    }
  }
  return reported;
}

/** Composes the working tree's subgraphs in memory: errors and hints become findings; returns the API schema. */
function compose({ subgraphs, findings, locate }: Context): Version | undefined {
  if (!subgraphs.every((s) => s.current)) {
    findings.push(finding({ level: 'error', kind: 'composition', schema: 'api', code: 'NOT_COMPOSED', message: 'The API schema was not composed: a subgraph SDL does not parse (see above)', locations: [] }));
    return undefined;
  }
  const composition = composeInMemory(subgraphs.map((s) => ({ name: s.name, document: s.current!.document })));
  if (!composition.ok) {
    for (const error of composition.errors) findings.push(compositionFinding('error', 'composition', error, subgraphs, locate));
    return undefined;
  }
  for (const hint of composition.hints) findings.push(hintFinding(hint, subgraphs, locate));
  const document = parse(composition.apiSchemaSdl);
  return { document, index: indexSdl(document) };
}

async function subgraphChanges(context: Context): Promise<void> {
  const { input, findings, subgraphs, locate, baseApi, currentApi } = context;
  for (const subgraph of subgraphs) {
    if (!subgraph.current) continue;
    if (subgraph.isNew) {
      findings.push(finding({ level: 'safe', kind: 'change', schema: subgraph.name, code: 'SUBGRAPH_ADDED', message: `New subgraph (absent at ${input.baseLabel}): all its changes are safe`, locations: [{ file: subgraph.file, line: 1 }] }));
      continue;
    }
    if (!subgraph.base) continue;
    // When composition failed, its errors already say (with lines) why a subgraph is invalid.
    const changes = await diffVersions(subgraph.name, subgraph.base, subgraph.current, buildSubgraphForDiff, subgraph.file, currentApi ? findings : []);
    const renamed = renamedFederationUsages(changes);
    for (const change of changes) {
      if (renamed.has(change) || isFederationMachinery(change, subgraph.base.index, subgraph.current.index)) continue;
      findings.push(
        classify(change, {
          schema: subgraph.name,
          baseLabel: input.baseLabel,
          base: subgraph.base.index,
          entries: context.entries,
          locations: (coordinate) => locate.inSubgraph(subgraph, coordinate),
          // A field that moves to another subgraph stays in the API schema, and one that was @inaccessible never
          // was in it: clients lose nothing, so deprecation is not asked for (the change is still declared).
          reachesClients: (coordinate) => (baseApi ? baseApi.index.elements.has(coordinate) : true) && !currentApi?.index.elements.has(coordinate),
        }),
      );
    }
  }
}

async function apiChanges(context: Context, currentApi: Version): Promise<void> {
  const { input, findings, locate, baseApi } = context;
  if (!baseApi) return;
  for (const change of await diffVersions('api', baseApi, currentApi, buildApiForDiff, apiFile, findings)) {
    findings.push(
      classify(change, {
        schema: 'api',
        baseLabel: input.baseLabel,
        base: baseApi.index,
        entries: context.entries,
        locations: (coordinate) => locate.inApi(coordinate, currentApi.index.elements.get(coordinate ?? '')?.line, baseApi.index),
        reachesClients: () => true,
      }),
    );
  }
}

/** Lints the composed API schema: unused types, and what the subgraph lint did not already report. */
function lintApi({ findings, locate }: Context, currentApi: Version, subgraphLint: Set<string>): void {
  for (const problem of lintSchema(currentApi.index, { unusedTypes: true })) {
    if (subgraphLint.has(`${problem.rule} ${problem.coordinate}`)) continue;
    findings.push(
      finding({ level: 'error', kind: 'lint', schema: 'api', code: problem.rule, coordinate: problem.coordinate, message: problem.message, locations: locate.inApi(problem.coordinate, problem.line) }),
    );
  }
}

function reportRemovedSubgraphs({ input, findings }: Context): void {
  for (const name of input.removedSubgraphs ?? []) {
    findings.push(
      finding({
        level: 'warning',
        kind: 'change',
        schema: name,
        code: 'SUBGRAPH_REMOVED',
        message: `Subgraph ${name} is in the registry at ${input.baseLabel} but not in the working tree: what it served is checked as changes of the API schema`,
        locations: [{ file: subgraphFile(name), line: 1, atBase: input.baseLabel }],
      }),
    );
  }
}

function reportUnusedEntries({ input, findings, entries }: Context): void {
  for (const entry of entries.filter((e) => e.valid && !e.used)) {
    findings.push(
      finding({
        level: 'info',
        kind: 'allow-file',
        schema: entry.schema,
        code: 'ALLOW_ENTRY_UNUSED',
        coordinate: coordinateOfPath(entry.path),
        path: entry.path,
        message: `Allow entry ${entry.type} ${entry.path} matches no change against ${input.baseLabel}: remove it once the change is on the base`,
        locations: [{ file: allowFilePath, line: entry.line }],
      }),
    );
  }
}

/** graphql-inspector's changes between two versions; a version that is no valid schema is reported instead. */
async function diffVersions(schema: string, base: Version, current: Version, build: (document: DocumentNode) => GraphQLSchema, file: string, findings: Finding[]): Promise<Change[]> {
  let baseSchema: GraphQLSchema;
  try {
    baseSchema = build(base.document);
  } catch (error) {
    findings.push(finding({ level: 'warning', kind: 'schema', schema, code: 'BASE_INVALID', message: `The base version of ${file} is not a valid schema, so its changes are not checked: ${(error as Error).message}`, locations: [{ file, line: 1 }] }));
    return [];
  }
  try {
    return await schemaChanges(baseSchema, build(current.document));
  } catch (error) {
    findings.push(finding({ level: 'error', kind: 'schema', schema, code: 'INVALID_SCHEMA', message: `${file} is not a valid schema: ${(error as Error).message}`, locations: [{ file, line: 1 }] }));
    return [];
  }
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
