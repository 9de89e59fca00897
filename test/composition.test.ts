import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { composeSubgraphs, composeSupergraph, schemaFiles } from '../scripts/compose.js';
import { projectRoot } from '@talent-hub/platform/paths';

describe('composition', () => {
  // Throws, listing every composition error, when the subgraphs do not compose.
  const composed = composeSupergraph();

  it('composes the subgraphs into a supergraph', () => {
    expect(composed.supergraphSdl).toContain('enum join__Graph');
    expect(composed.apiSchemaSdl).toContain('type Query');
    expect(composed.apiSchemaSdl).not.toContain('join__');
  });

  it.each([
    ['supergraph', schemaFiles.supergraph, composed.supergraphSdl],
    ['API schema', schemaFiles.api, composed.apiSchemaSdl],
  ])('the committed %s is up to date', (_, file, fresh) => {
    const name = path.relative(projectRoot, file);
    const stale = `${name} is stale or missing: run \`npm run compose\` and commit the result`;
    expect(existsSync(file), stale).toBe(true);
    expect(readFileSync(file, 'utf8'), stale).toBe(fresh);
  });

  it('lists every composition error, naming the subgraph', () => {
    const withBadKey = (name: string) => ({
      name,
      url: `http://127.0.0.1/${name}`,
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query { ${name}: Int }
        type ${name.toUpperCase()} @key(fields: "missing") { id: ID! }
      `),
    });
    expect(() => composeSubgraphs([withBadKey('one'), withBadKey('two')])).toThrow(
      /Composition of one, two failed with 2 error\(s\):\n- KEY_INVALID_FIELDS: \[one\].*\n- KEY_INVALID_FIELDS: \[two\]/,
    );
  });
});
