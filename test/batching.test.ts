import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// The flagship query crosses all three subgraphs. Its SQL cost must depend on its depth, not on its rows:
// 100 talents cost the same statements as 5. Registrations are personal data: the query is made as a partner
// (eurocities), who reads all the registrations of its own talents and of those who consented to it, and those of
// the other talents at its own events only.

const FLAGSHIP = `query ($first: Int) {
  talents(first: $first) {
    nodes {
      id displayName residenceRegion { code name } organisation { id name }
      registrations(first: 10) {
        nodes { status event { id title startsAt region { code name } organiser { id name } } }
      }
    }
  }
}`;

describe.each(storeKinds)('batching across subgraphs (%s)', (kind) => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack(kind);
    token = await mintToken('eurocities', 'viewer');
  });
  afterAll(() => stack?.stop());

  const perSubgraph = () => Object.fromEntries(Object.entries(stack.databases).map(([name, d]) => [name, d.stats.statements]));
  const measure = async (first: number) => {
    const before = perSubgraph();
    const { body } = await stack.query(FLAGSHIP, { first }, { token });
    expect(body.errors).toBeUndefined();
    const after = perSubgraph();
    const bySubgraph = Object.fromEntries(Object.keys(after).map((name) => [name, after[name]! - before[name]!]));
    return { bySubgraph, talents: body.data.talents.nodes };
  };

  it('100 talents with registrations, events, regions and organisers cost the same statements as 5', async () => {
    await measure(5); // warm the gateway's query plan cache; SQL is counted per request anyway
    const few = await measure(5);
    const many = await measure(100);
    expect(few.talents).toHaveLength(5);
    expect(many.talents).toHaveLength(100);
    const registrations = many.talents.flatMap((t: any) => t.registrations.nodes);
    expect(registrations.length).toBeGreaterThan(100);
    expect(new Set(registrations.map((r: any) => r.event.region?.code).filter(Boolean)).size).toBeGreaterThan(3);
    expect(many.bySubgraph).toEqual(few.bySubgraph);
    // talents: the page, and the consents that decide whose personal data the caller reads. trainings: the
    // registrations (all of them for talents it may read, those at its own events for the others, in one
    // statement), then their events. regions: regions and organisations, once for the talents' references and
    // once for the events' (two fetches in the plan).
    expect(many.bySubgraph).toEqual({ talents: 2, trainings: 2, regions: 4 });
  });
});
