import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { QueryPlan, PlanNode } from '@apollo/query-planner';
import { ApolloServer } from '@apollo/server';
import type { KnownOperation } from '@talent-hub/gateway/known-operations';

// The subgraph requests that a gateway sends for an operation, captured once from an in-process ApolloGateway over
// the same supergraph (the same query planner as targets A and B), kept with the shape of the query plan (sequence,
// parallel), for replaying against the subgraphs without a gateway in between. As captured, they are what a stock
// gateway sends; bench/lower-bound.ts makes them minimal, the lower bound's work.

export type Replay =
  | { kind: 'fetch'; service: string; url: string; body: string }
  | { kind: 'sequence' | 'parallel'; nodes: Replay[] };

interface Captured {
  service: string;
  url: string;
  path: string;
  query: string;
  body: string;
}

class RecordingDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly service: string,
    url: string,
    private readonly log: Captured[],
    private readonly sign: (service: string, body: string) => Record<string, string>,
  ) {
    super({ url });
  }

  override async process(options: GraphQLDataSourceProcessOptions) {
    const { request } = options;
    const path = 'pathInIncomingRequest' in options && options.pathInIncomingRequest ? options.pathInIncomingRequest : [];
    // What RemoteGraphQLDataSource sends: the request without its http part; sent here with a token signed for it
    // (the subgraphs run in production and take only signed requests).
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    this.log.push({ service: this.service, url: this.url!, path: path.join('/'), query: request.query ?? '', body });
    const response = await fetch(this.url!, { method: 'POST', headers: { 'content-type': 'application/json', ...this.sign(this.service, body) }, body });
    return (await response.json()) as Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
  }
}

export interface Capturer {
  /** Runs the operation once through the gateway; returns its plan's subgraph requests and the gateway's answer. */
  capture(operation: KnownOperation, variables: Record<string, unknown>): Promise<{ replay: Replay; data: any }>;
  stop(): Promise<void>;
}

export async function startCapturer(
  supergraphSdl: string,
  subgraphUrls: Record<string, string>,
  sign: (service: string, body: string) => Record<string, string>,
): Promise<Capturer> {
  let log: Captured[] = [];
  const last: { plan?: QueryPlan } = {};
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new RecordingDataSource(name, subgraphUrls[name] ?? url!, log, sign),
    experimental_didResolveQueryPlan: ({ queryPlan }) => {
      last.plan = queryPlan;
    },
  });
  const server = new ApolloServer({ gateway, stopOnTerminationSignals: false });
  await server.start();
  return {
    async capture(operation, variables) {
      log.length = 0;
      delete last.plan;
      const response = await server.executeOperation({ query: operation.query, variables, operationName: operation.name });
      if (response.body.kind !== 'single') throw new Error(`${operation.name}: unexpected incremental response`);
      const { data, errors } = response.body.singleResult;
      if (errors?.length) throw new Error(`${operation.name} failed: ${errors[0]!.message}`);
      const plan = last.plan as QueryPlan | undefined; // set by the callback meanwhile
      if (!plan?.node || plan.node.kind === 'Subscription') throw new Error(`${operation.name}: no query plan`);
      const captured = [...log];
      const replay = toReplay(plan.node, '', captured);
      if (!replay) throw new Error(`${operation.name}: the plan sent no subgraph request`);
      return { replay, data };
    },
    async stop() {
      log = [];
      await server.stop();
    },
  };
}

/** The plan's tree with each fetch replaced by the request captured for it; fetches that sent nothing drop out. */
function toReplay(node: PlanNode, path: string, captured: Captured[]): Replay | undefined {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel': {
      const nodes = node.nodes.map((child) => toReplay(child, path, captured)).filter((n): n is Replay => n !== undefined);
      if (nodes.length === 0) return undefined;
      if (nodes.length === 1) return nodes[0];
      return { kind: node.kind === 'Sequence' ? 'sequence' : 'parallel', nodes };
    }
    case 'Flatten':
      return toReplay(node.node, node.path.join('/'), captured);
    case 'Fetch': {
      const index = captured.findIndex((c) => c.service === node.serviceName && c.path === path && c.query === node.operation);
      if (index < 0) return undefined; // no entities to fetch: the gateway skipped it
      const [request] = captured.splice(index, 1);
      return { kind: 'fetch', service: request!.service, url: request!.url, body: request!.body };
    }
    default:
      throw new Error(`Replaying a ${node.kind} plan node is not supported`);
  }
}

/** The subgraph requests of a replay, in order. */
export function replayFetches(replay: Replay): Extract<Replay, { kind: 'fetch' }>[] {
  return replay.kind === 'fetch' ? [replay] : replay.nodes.flatMap(replayFetches);
}

/** A one-line picture of a replay, e.g. `talents -> (regions | trainings -> regions)`. */
export function describeReplay(replay: Replay): string {
  if (replay.kind === 'fetch') return replay.service;
  const parts = replay.nodes.map(describeReplay);
  return replay.kind === 'sequence' ? parts.join(' -> ') : `(${parts.join(' | ')})`;
}
