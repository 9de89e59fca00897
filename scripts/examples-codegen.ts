import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { executeCodegen } from '@graphql-codegen/cli';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { buildSchema, parse, validate } from 'graphql';
import { projectRoot } from '@talent-hub/platform/paths';

// Types the example operations (examples/operations/*.graphql) against the client-facing schema
// (schema/api.graphql): one TypedDocumentNode per operation with its result and variables types, in
// examples/generated/operations.ts, which is committed. test/examples.test.ts regenerates it in memory and fails
// when the committed file differs, so a schema change that breaks an example fails CI.

/** Where the operations are and where their types go, relative to the project root. */
export const examplePaths = {
  schema: path.join('schema', 'api.graphql'),
  operations: path.join('examples', 'operations'),
  generated: path.join('examples', 'generated', 'operations.ts'),
};

const header =
  '// Generated from schema/api.graphql and examples/operations/*.graphql by scripts/examples-codegen.ts\n' +
  '// (generateExampleTypes). Do not edit: change an operation or the schema, then regenerate.\n';

// Plugins are handed to codegen as modules rather than by name: codegen resolves names from its working
// directory, and the tests run it on copies of the project in temporary folders.
const plugins: Record<string, unknown> = {
  '@graphql-codegen/typescript-operations': typescriptOperations,
  '@graphql-codegen/typed-document-node': typedDocumentNode,
};

/** The example operations' files under `root`, in name order (so the generated file does not depend on the disk). */
export function exampleOperationFiles(root: string): string[] {
  const folder = path.join(root, examplePaths.operations);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => path.join(folder, name));
}

/**
 * The text of examples/generated/operations.ts for the operations and schema under `root`. Throws, naming the file
 * and the problem, when an operation does not validate against the schema.
 */
export async function generateExampleTypes(root: string = projectRoot): Promise<string> {
  const schemaFile = path.join(root, examplePaths.schema);
  const files = exampleOperationFiles(root);
  if (files.length === 0) throw new Error(`No example operation in ${examplePaths.operations}`);
  validateOperations(schemaFile, files);
  const { result, error } = await executeCodegen({
    cwd: root,
    schema: schemaFile,
    documents: files,
    silent: true,
    pluginLoader: (name: string) => {
      const plugin = plugins[name];
      if (!plugin) throw new Error(`Codegen plugin ${name} is not one of ${Object.keys(plugins).join(', ')}`);
      return plugin as never;
    },
    generates: {
      [examplePaths.generated]: {
        plugins: ['typescript-operations', 'typed-document-node'],
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
      },
    },
  });
  if (error) throw new Error(`Codegen of the example operations failed: ${error.message}`, { cause: error });
  const output = result.find((file) => path.resolve(root, file.filename) === path.join(root, examplePaths.generated));
  if (!output) throw new Error(`Codegen produced no ${examplePaths.generated}`);
  return header + (output.content.endsWith('\n') ? output.content : `${output.content}\n`);
}

/** Regenerates examples/generated/operations.ts under `root`; returns its path. */
export async function writeExampleTypes(root: string = projectRoot): Promise<string> {
  const file = path.join(root, examplePaths.generated);
  writeFileSync(file, await generateExampleTypes(root));
  return file;
}

// Codegen validates documents with a subset of GraphQL's rules (it skips, for instance, unused variables and
// anonymous operations); the examples are meant to be sent as they are, so they get every rule. Each file holds
// one named operation, and is named after it (RegionWithParent in region-with-parent.graphql): the name becomes
// the document's and the types' names, and a reader finds the file from them.
function validateOperations(schemaFile: string, files: readonly string[]) {
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
    throw new Error(`Example operations do not validate against ${examplePaths.schema}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
}

/** RegionWithParent -> region-with-parent. */
export const kebabCase = (name: string) => name.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '-').toLowerCase();

// Runs only as `tsx scripts/examples-codegen.ts`, so that the tests and scripts/codegen.ts can import the functions.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  writeExampleTypes().then(
    (file) => console.log(`wrote ${path.relative(projectRoot, file)}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
