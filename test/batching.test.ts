import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, storeKinds, type Stack } from './harness.js';

// The flagship query crosses all three subgraphs. Its SQL cost must depend on its depth, not on its rows:
// 100 talents cost the same statements as 5.

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
  beforeAll(async () => {
    stack = await startStack(kind);
  });
  afterAll(() => stack?.stop());

  const perSubgraph = () => Object.fromEntries(Object.entries(stack.databases).map(([name, d]) => [name, d.stats.statements]));
  const measure = async (first: number) => {
    const before = perSubgraph();
    const { body } = await stack.query(FLAGSHIP, { first });
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
    // talents: the page. trainings: registrations, then their events. regions: regions and organisations, once
    // for the talents' references and once for the events' (two fetches in the query plan).
    expect(many.bySubgraph).toEqual({ talents: 1, trainings: 2, regions: 4 });
  });
});
