import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getOperationAST, print } from 'graphql';

// The smallest typed client a partner web team needs: send a generated document with its variables to the
// gateway, get the operation's result type back. Any failure is thrown, with what went wrong in its message.

/** One error of a GraphQL answer, as the gateway sends it. */
export interface GraphQLErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * The gateway answered, but not with a full result: an HTTP error (e.g. 401 for a refused token, 400 for an invalid
 * operation) or GraphQL errors. `data` holds what was answered beside the errors (e.g. a talent with `givenName`
 * null and a FORBIDDEN error at that path), typed as the result.
 */
export class GraphQLRequestError<TResult = unknown> extends Error {
  override readonly name = 'GraphQLRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly errors: readonly GraphQLErrorEntry[],
    readonly data: TResult | null | undefined,
  ) {
    super(message);
  }

  /** The errors' codes (`extensions.code`), e.g. ['FORBIDDEN']. */
  get codes(): (string | undefined)[] {
    return this.errors.map((e) => e.extensions?.code);
  }
}

// print() walks the whole document; a document is sent many times, so its text is kept.
const texts = new WeakMap<object, string>();

/**
 * Sends `document` with `variables` to the gateway at `url` (POST, JSON), as the holder of `token` if given
 * (`Authorization: Bearer <token>`), and returns the result typed by the document. Throws GraphQLRequestError when
 * the answer carries errors or an HTTP error status, and an Error when the gateway cannot be reached or does not
 * answer with GraphQL JSON.
 */
/**
 * The name this client sends in `apollographql-client-name`: the gateway's trusted documents for it are these
 * operations (gateway/trusted-documents/talent-hub-examples.json, `npm run trusted-documents`), so a gateway with
 * TRUSTED_DOCUMENTS=enforce runs them and refuses texts this client never shipped.
 */
export const clientName = 'talent-hub-examples';

/** What another client of the graph (e.g. the dashboard) changes in a request. */
export interface ExecuteOptions {
  /** Sent in `apollographql-client-name` instead of this workspace's name: the client whose trusted documents these are. */
  clientName?: string;
  /** Aborts the request, e.g. when a page's filters change before the answer came. */
  signal?: AbortSignal;
}

export async function execute<TResult, TVariables>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token?: string,
  options: ExecuteOptions = {},
): Promise<TResult> {
  let query = texts.get(document);
  if (query === undefined) texts.set(document, (query = print(document)));
  const operationName = getOperationAST(document)?.name?.value;
  const label = operationName ?? 'operation';

  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      // The gateway refuses requests a browser could send cross-site without a preflight (CSRF prevention);
      // content-type application/json is what makes this one safe.
      headers: {
        'content-type': 'application/json',
        'apollographql-client-name': options.clientName ?? clientName,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables, operationName }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new Error(`${label}: could not reach ${url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  const text = await response.text();
  let body: { data?: TResult | null; errors?: GraphQLErrorEntry[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${label}: HTTP ${response.status} from ${url}, not JSON: ${text.slice(0, 200)}`);
  }
  const errors = body.errors ?? [];
  if (errors.length > 0 || !response.ok) {
    const described = errors.length > 0 ? errors.map(describe).join('; ') : text.slice(0, 200);
    throw new GraphQLRequestError<TResult>(`${label}: HTTP ${response.status}: ${described}`, response.status, errors, body.data);
  }
  if (body.data == null) throw new GraphQLRequestError<TResult>(`${label}: the answer holds no data`, response.status, [], body.data);
  return body.data;
}

/** "FORBIDDEN at talents.nodes.0.givenName: Not authorised to read ..." */
function describe(error: GraphQLErrorEntry): string {
  const code = error.extensions?.code ?? 'ERROR';
  const at = error.path?.length ? ` at ${error.path.join('.')}` : '';
  return `${code}${at}: ${error.message}`;
}
