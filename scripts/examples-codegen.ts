import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { buildSchema, parse, validate } from 'graphql';
import { projectRoot } from '@talent-hub/platform/paths';
import { runCodegen } from './codegen-run.js';

// Types a client's operations (<client folder>/operations/*.graphql) against the client-facing schema
// (schema/api.graphql): one TypedDocumentNode per operation with its result and variables types, in
// <client folder>/generated/operations.ts, which is committed. Two clients of this repository are typed so: the
// README's examples (examples/) and the dashboard (dashboard/). test/examples.test.ts and test/codegen.test.ts
// regenerate them in memory and fail when a committed file differs, so a schema change that breaks one fails CI.

/** A client's typed operations: where they are and where their types go, relative to the project root. */
export interface OperationSet {
  /** The client's folder, e.g. `examples`. */
  client: string;
  operations: string;
  generated: string;
}

const operationSet = (client: string): OperationSet => ({
  client,
  operations: path.join(client, 'operations'),
  generated: path.join(client, 'generated', 'operations.ts'),
});

export const exampleOperations = operationSet('examples');
export const dashboardOperations = operationSet('dashboard');
/** Every typed client of the repository, in the order `npm run codegen` writes them. */
export const operationSets: readonly OperationSet[] = [exampleOperations, dashboardOperations];

const schemaPath = path.join('schema', 'api.graphql');

/** Where the example operations are and where their types go, relative to the project root. */
export const examplePaths = { schema: schemaPath, operations: exampleOperations.operations, generated: exampleOperations.generated };

const header = (set: OperationSet) =>
  `// Generated from schema/api.graphql and ${set.client}/operations/*.graphql by scripts/examples-codegen.ts\n` +
  '// (generateOperationTypes). Do not edit: change an operation or the schema, then regenerate.\n';


/** A client's operation files under `root`, in name order (so the generated file does not depend on the disk). */
export function operationFiles(set: OperationSet, root: string): string[] {
  const folder = path.join(root, set.operations);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => path.join(folder, name));
}

/** The example operations' files under `root`, in name order. */
export const exampleOperationFiles = (root: string) => operationFiles(exampleOperations, root);

/**
 * The text of a client's generated/operations.ts for its operations and the schema under `root`. Throws, naming the
 * file and the problem, when an operation does not validate against the schema.
 */
export async function generateOperationTypes(set: OperationSet, root: string = projectRoot): Promise<string> {
  const schemaFile = path.join(root, schemaPath);
  const files = operationFiles(set, root);
  if (files.length === 0) throw new Error(`No operation in ${set.operations}`);
  validateOperations(set, schemaFile, files);
  const content = await runCodegen({
    filename: set.generated,
    schemaFile,
    documentFiles: files,
    plugins: { typescriptOperations, typedDocumentNode },
    config: {
      // verbatimModuleSyntax: the TypedDocumentNode import is type-only.
      useTypeImports: true,
      // Results hold what the operation selects, nothing more (no optional __typename).
      skipTypename: true,
      // Every custom scalar of the API is a string on the wire (exact decimals, ISO dates); a new scalar
      // must be mapped here before codegen succeeds.
      strictScalars: true,
      scalars: { Decimal: 'string', Date: 'string', DateTime: 'string' },
    },
  });
  return header(set) + (content.endsWith('\n') ? content : `${content}\n`);
}

/** The text of examples/generated/operations.ts. */
export const generateExampleTypes = (root: string = projectRoot) => generateOperationTypes(exampleOperations, root);

/** Regenerates a client's generated/operations.ts under `root`; returns its path. */
export async function writeOperationTypes(set: OperationSet, root: string = projectRoot): Promise<string> {
  const file = path.join(root, set.generated);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await generateOperationTypes(set, root));
  return file;
}

/** Regenerates every typed client's operations.ts under `root`; returns their paths. */
export async function writeAllOperationTypes(root: string = projectRoot): Promise<string[]> {
  const written: string[] = [];
  for (const set of operationSets) written.push(await writeOperationTypes(set, root));
  return written;
}

// Codegen validates documents with a subset of GraphQL's rules (it skips, for instance, unused variables and
// anonymous operations); the operations are meant to be sent as they are, so they get every rule. Each file holds
// one named operation, and is named after it (RegionWithParent in region-with-parent.graphql): the name becomes
// the document's and the types' names, and a reader finds the file from them.
function validateOperations(set: OperationSet, schemaFile: string, files: readonly string[]) {
  const schema = buildSchema(readFileSync(schemaFile, 'utf8'));
  const problems: string[] = [];
  for (const file of files) {
    const name = path.basename(file);
    let document;
    try {
      document = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const e of validate(schema, document)) problems.push(`${name}: ${e.message}`);
    const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
    const operationName = operations.length === 1 ? operations[0]?.name?.value : undefined;
    if (operations.length !== document.definitions.length || !operationName) {
      problems.push(`${name}: must hold exactly one named operation`);
    } else if (`${kebabCase(operationName)}.graphql` !== name) {
      problems.push(`${name}: holds ${operationName}, so must be named ${kebabCase(operationName)}.graphql`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`The ${set.client} operations do not validate against ${schemaPath}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
}

/** RegionWithParent -> region-with-parent. */
export const kebabCase = (name: string) => name.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '-').toLowerCase();

// Runs only as `tsx scripts/examples-codegen.ts`, so that the tests and scripts/codegen.ts can import the functions.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  writeAllOperationTypes().then(
    (files) => files.forEach((file) => console.log(`wrote ${path.relative(projectRoot, file)}`)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
