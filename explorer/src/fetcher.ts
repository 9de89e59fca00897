import { createGraphiQLFetcher, type Fetcher, type FetcherParams } from '@graphiql/toolkit';
import { Kind, parse } from 'graphql';

// The graph at this page's own origin (gateway/server.ts answers POST /graphql): the explorer works wherever the
// gateway is, and sends nothing elsewhere (the gateway's Content-Security-Policy would refuse it anyway).
export const graphqlPath = '/graphql';

/** GraphiQL's fetcher for the gateway, with the operation name made to match the document (below). */
export function gatewayFetcher(base: Fetcher = createGraphiQLFetcher({ url: graphqlPath })): Fetcher {
  return (params, options) => base(withMatchingOperationName(params), options);
}

/**
 * GraphiQL learns the operation name from the editor a moment after its text changes: Run pressed just after
 * switching tabs sends the previous tab's name with the new tab's document, which the gateway refuses
 * (OPERATION_RESOLUTION_FAILURE). A name the document does not define is replaced by its only operation's name;
 * with several operations, or a document that does not parse, the request goes as it is and the gateway says why.
 */
export function withMatchingOperationName(params: FetcherParams): FetcherParams {
  if (!params.operationName) return params;
  let names: (string | undefined)[];
  try {
    names = parse(params.query)
      .definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
      .map((operation) => operation.name?.value);
  } catch {
    return params;
  }
  if (names.includes(params.operationName) || names.length !== 1) return params;
  return { ...params, operationName: names[0] ?? null };
}
