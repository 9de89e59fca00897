import http from 'node:http';
import { canMerge, mergeOperations, mergeVariables } from '@talent-hub/gateway/fetch-batch';
import { deduplicateRepresentations } from '@talent-hub/gateway/subgraph-source';
import type { Replay } from './capture.js';
import { post, type SignFetch } from './load.js';

// The "bound" target: the least subgraph work any gateway could do for an operation, and its latency. Built from
// the subgraph requests captured along the query plan (bench/capture.ts, a stock ApolloGateway, which sends every
// representation and every fetch as planned), made minimal the two ways our gateway A does it, with A's own code:
// - each fetch sends each distinct entity representation once (gateway/subgraph-source.ts): 100 talents living in
//   8 regions cost 8 representations, not 100;
// - the fetches of one Parallel plan node that go to the same subgraph become one operation (gateway/fetch-batch.ts):
//   one HTTP request and one execution at the subgraph, whose DataLoaders then batch across them.
// A Parallel node's children that are sequences start with their own first fetch; merging those heads as well
// would hold back the rest of each sequence until the merged fetch answers, trading latency for work, so only
// sibling fetches are merged (A merges the same ones: those that start together).
// Replayed in plan order, parallel branches at once, this is both the floor of subgraph CPU per request and the
// critical path of the least work: no target can do less at the subgraphs than it.

type Fetch = Extract<Replay, { kind: 'fetch' }>;

export function minimalReplay(node: Replay): Replay {
  switch (node.kind) {
    case 'fetch':
      return distinctRepresentations(node);
    case 'sequence':
      return { kind: 'sequence', nodes: node.nodes.map(minimalReplay) };
    case 'parallel': {
      const children = node.nodes.map(minimalReplay);
      const bySubgraph = new Map<string, Fetch[]>();
      const others: Replay[] = [];
      for (const child of children) {
        if (child.kind !== 'fetch' || !canMerge(parsedBody(child).query)) {
          others.push(child);
          continue;
        }
        const group = bySubgraph.get(child.service);
        if (group) group.push(child);
        else bySubgraph.set(child.service, [child]);
      }
      const nodes = [...[...bySubgraph.values()].map(merged), ...others];
      return nodes.length === 1 ? nodes[0]! : { kind: 'parallel', nodes };
    }
  }
}

interface Body {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

const parsedBody = (fetch: Fetch): Body => JSON.parse(fetch.body) as Body;

function distinctRepresentations(fetch: Fetch): Fetch {
  const body = parsedBody(fetch);
  const distinct = deduplicateRepresentations(body.variables?.representations);
  if (!distinct) return fetch;
  return { ...fetch, body: JSON.stringify({ ...body, variables: { ...body.variables, representations: distinct.unique } }) };
}

function merged(fetches: Fetch[]): Fetch {
  if (fetches.length === 1) return fetches[0]!;
  const bodies = fetches.map(parsedBody);
  const operation = mergeOperations(bodies.map((b) => b.query));
  const body = { query: operation.query, variables: mergeVariables(bodies.map((b) => b.variables)), operationName: operation.operationName };
  return { kind: 'fetch', service: fetches[0]!.service, url: fetches[0]!.url, body: JSON.stringify(body) };
}

/**
 * Sends each fetch of a minimal replay once, in order, and throws unless every one answers 200 without errors: a
 * floor built from requests that fail would be no floor.
 */
export async function checkReplay(node: Replay, sign: SignFetch, label: string): Promise<void> {
  const agent = new http.Agent({ keepAlive: true });
  try {
    const visit = async (n: Replay): Promise<void> => {
      if (n.kind !== 'fetch') {
        if (n.kind === 'sequence') for (const child of n.nodes) await visit(child);
        else await Promise.all(n.nodes.map(visit));
        return;
      }
      const { status, text } = await post(agent, n.url, n.body, sign(n.service, n.body));
      const answer = JSON.parse(text) as { errors?: { message: string }[] };
      if (status !== 200 || answer.errors?.length) {
        throw new Error(`${label}: the lower bound's fetch to ${n.service} failed: HTTP ${status} ${answer.errors?.[0]?.message ?? text.slice(0, 200)}`);
      }
    };
    await visit(node);
  } finally {
    agent.destroy();
  }
}

/** How many subgraph requests and entity representations a replay sends, e.g. to log "7 requests, 412 → 150". */
export function replayWork(node: Replay): { requests: number; representations: number } {
  if (node.kind === 'fetch') {
    const representations = parsedBody(node).variables ?? {};
    let count = 0;
    for (const [name, value] of Object.entries(representations)) if (/(^|_)representations$/.test(name) && Array.isArray(value)) count += value.length;
    return { requests: 1, representations: count };
  }
  return node.nodes.map(replayWork).reduce((a, b) => ({ requests: a.requests + b.requests, representations: a.representations + b.representations }), { requests: 0, representations: 0 });
}
