import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';

type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

interface SubgraphErrorBody {
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

/**
 * A subgraph data source whose HTTP errors read like GraphQL errors. A subgraph answers 400 when an argument
 * fails validation (a malformed DateTime, a variable of the wrong type); the stock data source would turn that
 * into "400: Bad Request" carrying the subgraph's internal URL. This passes on the subgraph's own message and
 * code (BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED) and names the subgraph, never its address.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly subgraphName: string,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource>[0],
  ) {
    super(config);
  }

  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    let body: SubgraphErrorBody | string | undefined;
    try {
      body = (await this.parseBody(response)) as SubgraphErrorBody | string;
    } catch {
      body = undefined;
    }
    const first = typeof body === 'object' ? body.errors?.[0] : undefined;
    if (response.status < 500 && typeof first?.message === 'string') {
      const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'BAD_REQUEST';
      return new GraphQLError(first.message, { extensions: { code, serviceName: this.subgraphName } });
    }
    return new GraphQLError(`Subgraph "${this.subgraphName}" answered HTTP ${response.status}.`, {
      extensions: { code: 'SUBGRAPH_ERROR', serviceName: this.subgraphName, status: response.status },
    });
  }
}
