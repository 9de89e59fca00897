import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { graphqlError, maskedErrorMessage, maskInternalError, type ErrorCode } from '@talent-hub/platform/errors';
import type { FrontLimits } from '@talent-hub/platform/http-front';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { actualCost, costTableFromSdl, estimateOnce, registerCostTable } from './cost.js';

export { estimateOperationCost, type CostRequest } from './cost.js';

// Limits on what one operation may ask of the graph, checked at the gateway once the operation is parsed and
// validated and before any subgraph is called: how deeply its variables nest, how deep its fields nest, how many
// aliases and root fields it has, and its estimated cost (demand control: cost.ts says how it is computed from the
// `@cost` and `@listSize` directives of the supergraph). A refusal is a GraphQL error with its own code, the limit
// and the measured value, and HTTP 400. Each operation of a batch is checked on its own.
//
// Every walk over client input is bounded: variables are measured without recursion and refused past
// `maxVariableDepth` before anything else reads them (the response cache's key, graphql-js's coercion of input
// objects and custom scalars, the subgraph fetches), and the document walk stops at cost.ts's `maxWalkDepth`.

export interface QueryLimits {
  /** Deepest nesting of fields, the root field being depth 1. */
  maxDepth: number;
  /** Aliased fields in the operation and the fragments it uses. */
  maxAliases: number;
  /** Fields at the root of the operation (through fragments too). */
  maxRootFields: number;
  /** Largest estimated cost (see cost.ts). */
  maxCost: number;
  /**
   * Tokens in the query text, checked while parsing (Apollo Server's `parseOptions.maxTokens`), so that a
   * megabyte of aliases or nesting is refused before validation spends time on it; GRAPHQL_PARSE_FAILED.
   */
  maxTokens: number;
}

/**
 * Defaults with a margin over what the partner apps send (measured in gateway/limits.test.ts): the known
 * operations, the examples, and the queries of the end-to-end tests and the README reach depth 7, no aliases, 3
 * root fields and an estimated cost of 250,501 (a programme's partners with their leaders: both lists at their
 * SQL bound of 500; EventWithAgenda 40,204, TalentsWithRegistrations 22,002 at the largest page); the explorer's
 * introspection query reaches depth 15 and a cost of 16,424. 500,000 leaves twice the largest; the bypass of
 * issue 13 (500 talents × 100 registrations × 100 registrations of their events) costs 5,151,001. The longest of
 * these texts has a few hundred tokens.
 */
export const defaultQueryLimits: QueryLimits = { maxDepth: 15, maxAliases: 30, maxRootFields: 10, maxCost: 500_000, maxTokens: 10_000 };

/** What one HTTP request to the gateway may carry, and who may call from a browser (config.ts reads them; the HTTP front applies them). */
export type HttpLimits = FrontLimits;

export const defaultHttpLimits: HttpLimits = { maxBodyBytes: 1024 * 1024, maxBatch: 10, corsOrigins: '*' };

/**
 * How deeply a variable's value may nest (objects and lists, the variable itself at 0). The deepest input of the
 * graph (an event's input with its lists) nests 3; past this, a value is refused before any code walks it.
 */
export const maxVariableDepth = 32;

export interface OperationMeasure {
  depth: number;
  aliases: number;
  rootFields: number;
  cost: number;
}

/**
 * Measures one operation of a document against a schema. `variables` are the request's raw variables (for
 * slicing arguments such as `first: $n`). Fields the schema does not know (a document that failed validation)
 * count as objects and are not entered.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Record<string, unknown>,
): OperationMeasure {
  const measured = estimateOnce(schema, document, operation, variables);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // Aliases are counted as written, each used fragment once: an alias flood is a long text, and a fragment spread
  // twice does not add response keys.
  const pending: string[] = [];
  let aliases = countAliases(operation.selectionSet, pending);
  const counted = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (counted.has(name)) continue;
    counted.add(name);
    const fragment = fragments.get(name);
    if (fragment) aliases += countAliases(fragment.selectionSet, pending);
  }
  return { depth: measured.depth, aliases, rootFields: measured.rootFields, cost: measured.cost };
}

function countAliases(selectionSet: SelectionSetNode, spreads: string[]): number {
  let count = 0;
  const stack: SelectionSetNode[] = [selectionSet];
  while (stack.length > 0) {
    for (const selection of stack.pop()!.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) spreads.push(selection.name.value);
      else {
        if (selection.kind === Kind.FIELD && selection.alias) count += 1;
        if (selection.selectionSet) stack.push(selection.selectionSet);
      }
    }
  }
  return count;
}

/**
 * The first variable whose value nests deeper than `max` levels (objects and lists), with no recursion: the
 * values are the client's, and a 200,000-level one must not exhaust the stack of the code that measures it.
 */
export function tooDeepVariable(variables: Readonly<Record<string, unknown>> | undefined, max = maxVariableDepth): string | undefined {
  if (!variables) return undefined;
  for (const [name, value] of Object.entries(variables)) {
    const stack: [unknown, number][] = [[value, 0]];
    while (stack.length > 0) {
      const [current, depth] = stack.pop()!;
      if (current === null || typeof current !== 'object') continue;
      if (depth >= max) return name;
      for (const child of Array.isArray(current) ? current : Object.values(current)) {
        if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
      }
    }
  }
  return undefined;
}

/** The first limit an operation exceeds, as the error the client gets; undefined when it is within all of them. */
export function limitError(measure: OperationMeasure, limits: QueryLimits): GraphQLError | undefined {
  const refuse = (code: ErrorCode, message: string, limit: number, measured: number) =>
    graphqlError(code, message, { limit, measured }, { status: 400 });
  if (measure.depth > limits.maxDepth) {
    return refuse('QUERY_TOO_DEEP', `The operation nests fields ${measure.depth} deep; at most ${limits.maxDepth} is allowed.`, limits.maxDepth, measure.depth);
  }
  if (measure.aliases > limits.maxAliases) {
    return refuse('TOO_MANY_ALIASES', `The operation has ${measure.aliases} aliases; at most ${limits.maxAliases} are allowed.`, limits.maxAliases, measure.aliases);
  }
  if (measure.rootFields > limits.maxRootFields) {
    return refuse(
      'TOO_MANY_ROOT_FIELDS',
      `The operation asks for ${measure.rootFields} root fields; at most ${limits.maxRootFields} are allowed. Send several operations instead.`,
      limits.maxRootFields,
      measure.rootFields,
    );
  }
  if (measure.cost > limits.maxCost) {
    return refuse(
      'QUERY_TOO_COSTLY',
      `The operation's estimated cost is ${measure.cost}; at most ${limits.maxCost} is allowed. Ask for smaller pages (\`first\`) or fewer nested lists.`,
      limits.maxCost,
      measure.cost,
    );
  }
  return undefined;
}

/**
 * The document holds no operation of the name asked for (or several operations and no name). Apollo Server lets
 * such a request through to the gateway, whose executor then fails with a 500: it is the client's mistake, a 400.
 */
function unresolvedOperation(document: DocumentNode, operationName: string | undefined): GraphQLError {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  const message = operationName
    ? `The document has no operation named "${operationName.slice(0, 100)}".`
    : operations === 0
      ? 'The document has no operation, only fragments.'
      : 'The document has several operations: say which one to run with `operationName`.';
  return graphqlError('OPERATION_RESOLUTION_FAILURE', message, {}, { status: 400 });
}

/** An operation of a kind the graph has no root type for (subscriptions): refused as a client error, not a 500. */
function unservableOperation(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLError | undefined {
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (root) return undefined;
  return graphqlError('OPERATION_RESOLUTION_FAILURE', `This graph has no ${operation.operation} operations.`, {}, { status: 400 });
}

export interface QueryLimitsOptions {
  /**
   * Add `extensions.cost = { estimated, actual }` to every answer of an operation that passed the limits
   * (default false; the gateway process turns it on, see config.ts).
   */
  costExtensions?: boolean;
}

/**
 * Apollo Server plugin: refuses an operation that cannot be resolved (see above) or is beyond the limits once it is resolved (parsed, validated, chosen by
 * operationName), before the gateway plans or fetches anything; and, with `costExtensions`, tells the client the
 * estimated and actual cost of the answer. It also reads the cost directives of each supergraph the gateway
 * loads, once per load, into the table cost.ts uses (the gateway's API schema has lost them).
 *
 * An answer from the response cache carries the same cost as the answer it replays: the cost is that of the
 * data, whoever produced it (the cache keeps `data` only, never `extensions`, and its key holds no extension).
 */
export function queryLimitsPlugin(limits: QueryLimits, options: QueryLimitsOptions = {}): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
          if (coreSupergraphSdl) registerCostTable(apiSchema, costTableFromSdl(coreSupergraphSdl));
        },
      };
    },
    async requestDidStart() {
      let estimated: number | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // First: every other check and plugin after this one may walk the variables.
          const deep = tooDeepVariable(request.variables);
          if (deep !== undefined) {
            throw graphqlError(
              'BAD_USER_INPUT',
              `Variable "$${deep.slice(0, 100)}" nests deeper than ${maxVariableDepth} levels of objects and lists.`,
              { limit: maxVariableDepth },
              { status: 400 },
            );
          }
          if (!operation) throw unresolvedOperation(document, request.operationName);
          const unservable = unservableOperation(schema, operation);
          if (unservable) throw unservable;
          const measure = measureOperation(schema, document, operation, request.variables);
          const error = limitError(measure, limits);
          if (error) throw error;
          estimated = measure.cost;
        },
        async willSendResponse({ schema, document, operation, response }) {
          if (!options.costExtensions || estimated === undefined || !operation || !document || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const actual = actualCost(schema, document, operation, result.data);
          result.extensions = { ...result.extensions, cost: { estimated, actual } };
        },
      };
    },
  };
}

/** The message an unexpected error gets in production (the same at the subgraphs). */
export const maskedMessage = maskedErrorMessage;

/**
 * Apollo Server's `formatError` for the gateway: every error carries `extensions.code` (INTERNAL_SERVER_ERROR when
 * it had none). With `mask` (production), an error whose code is not a client one is masked as the subgraphs mask
 * theirs (maskInternalError: its code and subgraph, a generic message). Stack traces are never sent
 * (includeStacktraceInErrorResponses is off).
 *
 * Apollo Server refuses some requests with an HTTP 4xx error that has no code (a persisted query whose hash is not
 * the query's): those are the client's mistakes, whose messages say what to fix, so they get a client code here
 * rather than being masked as internal.
 */
export function formatGatewayError(mask: boolean): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const refusal = apolloRefusalCode(formatted, error);
    const code = refusal ?? (typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR');
    if (code === 'PERSISTED_QUERY_HASH_MISMATCH') return { message: hashMismatchMessage, extensions: { ...formatted.extensions, code } };
    const coded = formatted.extensions?.code === code ? formatted : { ...formatted, extensions: { ...formatted.extensions, code } };
    return mask ? maskInternalError(coded) : coded;
  };
}

const hashMismatchMessage =
  'The persisted query hash (extensions.persistedQuery.sha256Hash) is not the SHA-256 of the query text sent with it: send the hash of exactly that text.';

/**
 * The client code of an error Apollo Server raised with an HTTP 4xx status and no code of its own (it has given it
 * INTERNAL_SERVER_ERROR by the time formatError sees it); undefined for any other error.
 */
function apolloRefusalCode(formatted: GraphQLFormattedError, error: unknown): ErrorCode | undefined {
  const original = error as { extensions?: { code?: unknown; http?: { status?: unknown } } } | null;
  const status = original?.extensions?.http?.status;
  if (original?.extensions?.code !== undefined || typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  return formatted.message === 'provided sha does not match query' ? 'PERSISTED_QUERY_HASH_MISMATCH' : 'BAD_REQUEST';
}
