import type { ApolloServer, ApolloServerPlugin, BaseContext, GraphQLRequestContext, GraphQLRequestListener, HTTPGraphQLRequest } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type GraphQLError, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { graphqlError } from '@talent-hub/platform/errors';
import type { Logger } from './supergraph.js';
import { warmUpRequest } from './subgraph-source.js';
import { clientNameShape, documentHash, type TrustedDocuments } from './trusted-documents.js';

// What the gateway does with the documents clients send, given the manifests of trusted-documents.ts:
// - `off`: nothing (no manifest is read; APQ works as before).
// - `log`: every document runs; one that is not in its client's manifest is counted
//   (gateway_untrusted_documents_total) and logged with the client name and its hash, never its text.
// - `enforce`: such a document is refused with DOCUMENT_NOT_TRUSTED and HTTP 400, before it is parsed, validated or
//   planned.
//
// A client names itself with the `apollographql-client-name` header (Apollo's clients send it) or
// `graphql-client-name`. That name is a claim, not an identity: anyone can send any name. So the manifests are no
// access control (the JWT and the subgraphs' rules are); what enforce mode buys is that only documents some client
// shipped, and the graph's owners reviewed, ever reach the planner and the subgraphs: no invented query, however
// costly or probing, runs. A document is trusted only for the clients whose manifest lists it: an attacker who
// claims the right name gains nothing over the union of manifests, but a client sending another one's documents,
// or no name at all, shows up in log mode before enforce refuses it, and each client's list can be retired alone.
//
// A document is named either by its id (the SHA-256 of its text, as APQ hashes it): `documentId` in a POST body
// (`sha256:<hex>`, GraphQL over HTTP's convention) or `extensions.persistedQuery.sha256Hash` without `query` (APQ's);
// or by its full text, trusted when it is in the manifest. Ids are looked up in every manifest, then (log mode
// only) in APQ's store; APQ keeps working for clients without manifests until enforce mode. A text is hashed at
// most once per request: trusted texts are found by the text itself, and Apollo Server hashes what it runs (its
// queryHash, which log mode reuses); a refused text is hashed for its error only, and never reaches Apollo Server's
// hashing. An id found in a manifest skips the APQ store altogether.

export type TrustedDocumentsMode = 'off' | 'log' | 'enforce';
export const trustedDocumentsModes: readonly TrustedDocumentsMode[] = ['off', 'log', 'enforce'];

/** The headers a client names itself with, in order of preference. */
export const clientNameHeaders = ['apollographql-client-name', 'graphql-client-name'] as const;

/** What was not trusted, for metrics and logs: never the document's text. */
export interface UntrustedDocument {
  /** The client name as sent (undefined without the header); only identifier-shaped names are logged. */
  client: string | undefined;
  /** A bounded label: a client name with a manifest, `unknown` for any other name, `none` without the header. */
  clientLabel: string;
  /** The document's id (its SHA-256). */
  documentId: string;
  action: 'logged' | 'refused';
}

export interface TrustedDocumentsPluginOptions {
  mode: 'log' | 'enforce';
  documents: TrustedDocuments;
  /**
   * Whether introspection is served (GATEWAY_INTROSPECTION). In enforce mode an untrusted document is then parsed
   * after all, and runs when it asks for introspection only (`__schema`, `__type`, `__typename`), so that the
   * explorer and codegen keep working where introspection is on; with introspection off it is refused unparsed.
   */
  introspection: boolean;
  logger: Logger;
  onUntrusted?(event: UntrustedDocument): void;
  /** Distinct (client, id) pairs logged per process before the memory of them starts over (default 1000). */
  maxLogged?: number;
}

/** The client name a request carries, if any. */
export function clientNameOf(headers: { get(name: string): string | undefined } | undefined): string | undefined {
  for (const header of clientNameHeaders) {
    const value = headers?.get(header)?.trim();
    if (value) return value;
  }
  return undefined;
}

const refusalAdvice =
  'Send an operation your client ships in its trusted documents manifest, by its id (`documentId` or ' +
  '`extensions.persistedQuery.sha256Hash`) or its exact text, and name the client in the `apollographql-client-name` header; ' +
  'a new operation must be added to the manifest and deployed with the gateway first.';

function notTrusted(client: string | undefined, documentId: string, known: boolean) {
  const who = client === undefined ? 'a request without a client name' : clientNameShape.test(client) ? `client "${client}"` : 'this client name';
  const what = known ? `Document ${documentId} is not trusted for ${who}.` : `Document ${documentId} is in no trusted documents manifest (${who}).`;
  return graphqlError('DOCUMENT_NOT_TRUSTED', `${what} This gateway runs only trusted documents. ${refusalAdvice}`, { documentId }, { status: 400 });
}

type Request = GraphQLRequestContext<BaseContext>['request'];

const sha256Shape = /^[0-9a-f]{64}$/;

/** An id-only request's id (APQ's hash without text). */
function idOnly(request: Request): string | undefined {
  const hash = request.query === undefined ? (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash : undefined;
  return typeof hash === 'string' ? hash : undefined;
}

function withoutPersistedQuery(request: Request): void {
  if (request.extensions && 'persistedQuery' in request.extensions) {
    const { persistedQuery: _, ...extensions } = request.extensions;
    request.extensions = extensions;
  }
}

/** The Apollo Server plugin of TRUSTED_DOCUMENTS=log or enforce. */
export function trustedDocumentsPlugin(options: TrustedDocumentsPluginOptions): ApolloServerPlugin<BaseContext> {
  const { mode, documents, logger } = options;
  const maxLogged = options.maxLogged ?? 1000;
  const logged = new Set<string>();

  const untrusted = (client: string | undefined, documentId: string, action: UntrustedDocument['action']) => {
    const clientLabel = client === undefined ? 'none' : documents.clients.has(client) ? client : 'unknown';
    options.onUntrusted?.({ client, clientLabel, documentId, action });
    // Each (client, document) pair once: a client sending one unlisted document in a loop writes one line.
    const key = `${clientLabel}\n${client ?? ''}\n${documentId}`;
    if (logged.has(key)) return;
    if (logged.size >= maxLogged) logged.clear();
    logged.add(key);
    logger.warn({
      msg: action === 'refused' ? 'untrusted document refused' : 'untrusted document',
      client: client === undefined ? null : clientNameShape.test(client) ? client : '(not a client name)',
      documentId,
      mode,
    });
  };

  return {
    async requestDidStart({ request, contextValue }) {
      // The gateway's own warm-up of the known operations' plans.
      if ((contextValue as Record<symbol, unknown>)[warmUpRequest]) return undefined;
      const client = clientNameOf(request.http?.headers);

      // Apollo Server 5 has no hook that answers a request before it is hashed and parsed, and an error thrown
      // from requestDidStart becomes a 500. So a refused request is emptied (no text, no persisted query): Apollo
      // Server answers it at once with its "no query" error, without hashing or parsing anything, and that error
      // is replaced by ours as it is reported (didEncounterErrors runs before errors are formatted), so the answer
      // is ours, through the gateway's formatError, with its 400, and the request log sees it like any other.
      let refusal: GraphQLError | undefined;
      const refuse = (documentId: string, known: boolean) => {
        untrusted(client, documentId, 'refused');
        refusal = notTrusted(client, documentId, known);
        request.query = undefined;
        withoutPersistedQuery(request);
      };
      const refusing: GraphQLRequestListener<BaseContext> = {
        async didEncounterErrors(requestContext) {
          if (refusal) (requestContext.errors as GraphQLError[]).splice(0, Infinity, refusal);
        },
      };

      const id = idOnly(request);
      if (id !== undefined) {
        const document = documents.get(id);
        if (document) {
          // Served from the manifest: Apollo Server hashes the text (its queryHash) and never asks the APQ store.
          request.query = document.body;
          withoutPersistedQuery(request);
          if (client !== undefined && document.clients.has(client)) return undefined;
          if (mode === 'log') {
            untrusted(client, id, 'logged');
            return undefined;
          }
          refuse(id, true);
          return refusing;
        }
        if (mode === 'enforce') {
          // The id is the client's own string: echoed and logged only when it is shaped like a hash.
          refuse(sha256Shape.test(id) ? id : '(not a SHA-256 in hex)', false);
          return refusing;
        }
        // Log mode: APQ's store may know it; checked below once it has the text.
      } else if (typeof request.query === 'string') {
        const document = documents.withText(request.query);
        if (document && client !== undefined && document.clients.has(client)) return undefined;
        if (mode === 'enforce' && !options.introspection) {
          // Hashed here for the error and the log only: Apollo Server will not hash a refused request.
          refuse(document?.id ?? documentHash(request.query), document !== undefined);
          return refusing;
        }
      } else {
        // Neither text nor id: Apollo Server refuses it as a bad request.
        return undefined;
      }

      return {
        async didResolveSource({ queryHash }) {
          if (mode === 'log' && !documents.trusts(queryHash, client)) untrusted(client, queryHash, 'logged');
        },
        // Enforce mode with introspection on: the untrusted document was parsed, and runs if it only introspects.
        async didResolveOperation({ operation, document, queryHash }) {
          if (mode === 'log' || documents.trusts(queryHash, client)) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          if (operation && introspectionOnly(operation, fragments)) return;
          untrusted(client, queryHash, 'refused');
          throw notTrusted(client, queryHash, documents.get(queryHash) !== undefined);
        },
      };
    },
  };
}

/** Whether an operation's root fields are all introspection (`__schema`, `__type`, `__typename`), fragments included. */
export function introspectionOnly(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): boolean {
  if (operation.operation !== 'query') return false;
  const seen = new Set<string>();
  const check = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__');
      if (selection.kind === Kind.INLINE_FRAGMENT) return check(selection.selectionSet);
      // Validation has refused unknown fragments and cycles; a fragment is looked at once.
      const name = selection.name.value;
      if (seen.has(name)) return true;
      seen.add(name);
      const fragment = fragments.get(name);
      return fragment !== undefined && check(fragment.selectionSet);
    });
  return check(operation.selectionSet);
}

/**
 * `documentId` in a POST body (GraphQL over HTTP's persisted documents: `sha256:<hex>`, or the bare hex) as APQ's
 * `extensions.persistedQuery`, which Apollo Server reads and the plugin above resolves. Batches, element by element.
 */
export function documentIdAsPersistedQuery(body: unknown): unknown {
  if (Array.isArray(body)) return body.some(hasDocumentId) ? body.map(documentIdAsPersistedQuery) : body;
  if (!hasDocumentId(body)) return body;
  const { documentId, ...rest } = body;
  const hash = documentId.startsWith('sha256:') ? documentId.slice('sha256:'.length) : documentId;
  const extensions = rest.extensions && typeof rest.extensions === 'object' ? rest.extensions : {};
  return { ...rest, extensions: { ...extensions, persistedQuery: { version: 1, sha256Hash: hash } } };
}

function hasDocumentId(body: unknown): body is { documentId: string; extensions?: Record<string, unknown> } {
  return typeof body === 'object' && body !== null && typeof (body as { documentId?: unknown }).documentId === 'string';
}

/**
 * The server as the HTTP front sees it, reading `documentId` from POST bodies (Apollo Server ignores the field).
 * Everything else is the server's own.
 */
export function acceptingDocumentIds<C extends BaseContext>(server: ApolloServer<C>): ApolloServer<C> {
  const front = Object.create(server) as ApolloServer<C>;
  front.executeHTTPGraphQLRequest = (request) => {
    const http: HTTPGraphQLRequest = request.httpGraphQLRequest;
    const body = http.method === 'POST' ? documentIdAsPersistedQuery(http.body) : http.body;
    return server.executeHTTPGraphQLRequest(body === http.body ? request : { ...request, httpGraphQLRequest: { ...http, body } });
  };
  return front;
}
