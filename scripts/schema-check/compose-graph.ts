import { composeServices } from '@apollo/composition';
import { buildASTSchema, printSchema, type DocumentNode } from 'graphql';

// Composition of the subgraphs as given (the working tree's, in memory), keeping what scripts/compose.ts reduces
// to text: where each composition error and hint points, so that the check can name the subgraph, the element
// and the line. The API schema is printed as scripts/compose.ts prints it (without its header comment).

export interface CompositionNote {
  code: string;
  message: string;
  /** The schema coordinate the hint is about, when composition names one. */
  coordinate?: string;
  /** The subgraphs and lines it points at. */
  nodes: { subgraph: string; line: number }[];
}

export type Composition =
  | { ok: true; apiSchemaSdl: string; hints: CompositionNote[] }
  | { ok: false; errors: CompositionNote[] };

interface AstNodeLike {
  subgraph?: string;
  loc?: { startToken?: { line: number } };
}

export function composeInMemory(subgraphs: readonly { name: string; document: DocumentNode }[]): Composition {
  const result = composeServices(subgraphs.map(({ name, document }) => ({ name, typeDefs: document })));
  if (result.errors) {
    return {
      ok: false,
      errors: result.errors.map((error) => ({
        code: String(error.extensions['code'] ?? 'COMPOSITION_ERROR'),
        message: error.message,
        nodes: nodesOf(error.nodes as readonly AstNodeLike[] | undefined),
      })),
    };
  }
  return {
    ok: true,
    // As scripts/compose.ts does: built from the AST with this module's graphql, which may be another copy than
    // the one @apollo/composition loads (vitest gives this module graphql's ESM build).
    apiSchemaSdl: printSchema(buildASTSchema(result.schema.toAPISchema().toAST())),
    hints: result.hints.map((hint) => ({
      code: hint.definition.code,
      message: hint.message,
      ...(hint.coordinate ? { coordinate: hint.coordinate } : {}),
      nodes: nodesOf(hint.nodes as readonly AstNodeLike[] | undefined),
    })),
  };
}

function nodesOf(nodes: readonly AstNodeLike[] | undefined): { subgraph: string; line: number }[] {
  return (nodes ?? []).flatMap((node) => (node.subgraph && node.loc?.startToken ? [{ subgraph: node.subgraph, line: node.loc.startToken.line }] : []));
}
