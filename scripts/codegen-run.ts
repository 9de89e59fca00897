import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { codegen } from '@graphql-codegen/core';
import { getCachedDocumentNodeFromSchema, type CodegenPlugin } from '@graphql-codegen/plugin-helpers';

// Both codegen scripts run GraphQL Code Generator's core on files they name, rather than its CLI: the CLI brings
// loaders for URLs, GitHub and Apollo Studio (and, through them, packages that want Node 22) that a project reading
// two local files never needs. What the CLI would do with these files is done here: the schema sorted by name (types,
// fields, enum values), the documents parsed as they are, CommonJS-style import paths (the CLI's defaults).

// The graphql module codegen itself loads (its CommonJS entry): graphql refuses a schema built by another copy, and
// under vitest an `import 'graphql'` here is given the ES module copy.
const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export interface CodegenRun {
  /** The output path codegen is told (plugins may name it in what they write). */
  filename: string;
  schemaFile: string;
  documentFiles?: readonly string[];
  /** Plugin modules by name, in the order they run. */
  plugins: Record<string, unknown>;
  config: Record<string, unknown>;
}

/** The generated text. Throws, naming the output, when a plugin refuses the schema or the documents. */
export async function runCodegen(run: CodegenRun): Promise<string> {
  // assumeValidSDL: a subgraph's SDL uses federation's directives without defining them.
  const sdl = graphql.parse(readFileSync(run.schemaFile, 'utf8'));
  const schemaAst = graphql.lexicographicSortSchema(graphql.buildASTSchema(sdl, { assumeValidSDL: true }));
  try {
    return await codegen({
      filename: run.filename,
      schema: getCachedDocumentNodeFromSchema(schemaAst),
      schemaAst,
      documents: (run.documentFiles ?? []).map((file) => ({ location: file, document: graphql.parse(readFileSync(file, 'utf8')) })),
      plugins: Object.keys(run.plugins).map((name) => ({ [name]: {} })),
      pluginMap: run.plugins as Record<string, CodegenPlugin>,
      config: { emitLegacyCommonJSImports: true, ...run.config },
    });
  } catch (error) {
    throw new Error(`Codegen of ${run.filename} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
