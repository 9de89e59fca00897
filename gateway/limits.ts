import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { clientErrorCodes, graphqlError, type ErrorCode } from '@talent-hub/platform/errors';
import type { FrontLimits } from '@talent-hub/platform/http-front';
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

// Limits on what one operation may ask of the graph, checked at the gateway once the operation is parsed and
// validated and before any subgraph is called: how deep it nests, how many aliases and root fields it has, and an
// estimate of the rows it may make the subgraphs read. A refusal is a GraphQL error with its own code, the limit
// and the measured value, and HTTP 400. Each operation of a batch is checked on its own.
//
// The estimate ("cost") counts 1 per field and multiplies what is below a list by how many items it may hold:
// - a connection (a field with a `first` argument) holds `first` items, the literal or the variable's value, or
//   the default page size when `first` is not given; only its `nodes` and `edges` are multiplied, its `pageInfo`
//   and `totalCount` count once; a `first` beyond the largest page (500) counts as 500, as the subgraph refuses it;
// - another list (a region's children, a programme's partners, an event's agenda) counts as `shortListItems`: they
//   are bounded in SQL but have no argument that says how long they are.
// Fragments and inline fragments count where they are spread. Each fragment is measured once (so a fragment spread
// a thousand times costs a lookup, not a walk), and a fragment spread inside itself counts as nothing (validation
// refuses such a document; the measure must still end).

export interface QueryLimits {
  /** Deepest nesting of fields, the root field being depth 1. */
  maxDepth: number;
  /** Aliased fields in the operation and the fragments it uses. */
  maxAliases: number;
  /** Fields at the root of the operation (through fragments too). */
  maxRootFields: number;
  /** Largest estimated cost (see above). */
  maxCost: number;
  /**
   * Tokens in the query text, checked while parsing (Apollo Server's `parseOptions.maxTokens`), so that a
   * megabyte of aliases or nesting is refused before validation spends time on it; GRAPHQL_PARSE_FAILED.
   */
  maxTokens: number;
}

/**
 * Defaults with a margin over what the partner apps send (measured in gateway/limits.test.ts): the known
 * operations and the queries of the end-to-end tests and the README reach depth 7, no aliases, 3 root fields and a
 * cost of 12,005 (TalentsWithRegistrations at 100 talents with 10 registrations each; 60,005 at the largest page,
 * 500 talents). The explorer's introspection query reaches depth 15 and a cost of 4,657. The longest of these
 * texts has a few hundred tokens.
 */
export const defaultQueryLimits: QueryLimits = { maxDepth: 15, maxAliases: 30, maxRootFields: 10, maxCost: 100_000, maxTokens: 10_000 };

/** What one HTTP request to the gateway may carry, and who may call from a browser (config.ts reads them; the HTTP front applies them). */
export type HttpLimits = FrontLimits;

export const defaultHttpLimits: HttpLimits = { maxBodyBytes: 1024 * 1024, maxBatch: 10, corsOrigins: '*' };

/** Items a connection is assumed to hold when `first` is not given: the subgraphs' default page size. */
export const defaultPageSize = 20;
/** The largest page of any connection (root lists; nested ones stop at 100): a larger `first` counts as this. */
export const largestPageSize = 500;
/** Items a plain list is assumed to hold. */
export const shortListItems = 10;

export interface OperationMeasure {
  depth: number;
  aliases: number;
  rootFields: number;
  cost: number;
}

interface Measured {
  depth: number;
  cost: number;
  rootFields: number;
}

/**
 * Measures one operation of a document against a schema. `variables` are the request's raw variables (for
 * `first: $n`). Fields the schema does not know (a document that failed validation) count 1 and are not entered.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measuredFragments = new Map<string, Measured>();
  const inProgress = new Set<string>();
  const usedFragments = new Set<string>();

  const firstOf = (value: ValueNode | undefined): number => {
    if (!value) return defaultPageSize;
    let raw: unknown;
    if (value.kind === Kind.INT) raw = Number(value.value);
    else if (value.kind === Kind.VARIABLE) raw = variables[value.name.value];
    else return defaultPageSize; // null, or a value of the wrong kind that validation refuses
    // A variable left out or null: the subgraph uses its default page size. Negative values are refused there.
    if (typeof raw !== 'number' || !Number.isFinite(raw)) return defaultPageSize;
    // Past the largest page a list allows, the subgraph refuses `first` with a message that says so: the
    // estimate must not refuse it first with a vaguer one.
    return Math.min(largestPageSize, Math.max(0, Math.floor(raw)));
  };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, multiplied?: number): Measured => {
    let depth = 0;
    let cost = 0;
    let rootFields = 0;
    // The same fragment spread twice in one selection set selects the same fields, which execution merges.
    const spread = new Set<string>();
    for (const selection of selectionSet.selections) {
      let inner: Measured;
      if (selection.kind === Kind.FIELD) {
        rootFields += 1;
        const field = fieldOf(parent, selection.name.value);
        // A connection's `nodes` and `edges`: lists whose length is the connection's `first`.
        const isItems = multiplied !== undefined && (selection.name.value === 'nodes' || selection.name.value === 'edges');
        if (!selection.selectionSet) {
          inner = { depth: 1, cost: 1, rootFields: 0 };
        } else {
          const type = field ? namedTypeOf(field.type) : undefined;
          const firstArgument = field?.args.some((a) => a.name === 'first');
          let items = 1;
          if (firstArgument) items = firstOf(selection.arguments?.find((a) => a.name.value === 'first')?.value);
          else if (!isItems && field && isList(field.type)) items = shortListItems;
          // A connection multiplies only its items; a list returned directly multiplies all of it.
          const isConnection = firstArgument && type !== undefined && 'getFields' in type && ('nodes' in type.getFields() || 'edges' in type.getFields());
          const below = isConnection ? walk(selection.selectionSet, type, items) : walk(selection.selectionSet, type);
          inner = { depth: 1 + below.depth, cost: 1 + (isConnection ? below.cost : items * below.cost), rootFields: 0 };
        }
        if (isItems) {
          inner = { ...inner, cost: 1 + multiplied * (inner.cost - 1) };
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        inner = walk(selection.selectionSet, type ?? undefined, multiplied);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        usedFragments.add(name);
        if (!fragment || inProgress.has(name) || spread.has(name)) continue;
        spread.add(name);
        // Measured once per multiplier (a fragment spread directly inside a connection gets the connection's, for
        // the `nodes`/`edges` it selects): a document has few multipliers, so the walk stays linear in its size.
        const key = multiplied === undefined ? name : `${name}\u0000${multiplied}`;
        let known = measuredFragments.get(key);
        if (!known) {
          inProgress.add(name);
          known = walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined, multiplied);
          inProgress.delete(name);
          measuredFragments.set(key, known);
        }
        inner = known;
      }
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
      rootFields += inner.rootFields;
    }
    return { depth, cost, rootFields };
  };

  const root =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const measured = walk(operation.selectionSet, root ?? undefined);

  // Aliases are counted as written, each used fragment once: an alias flood is a long text, and a fragment spread
  // twice does not add response keys.
  let aliases = countAliases(operation.selectionSet);
  const counted = new Set<string>();
  const pending = [...usedFragments];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (counted.has(name)) continue;
    counted.add(name);
    const fragment = fragments.get(name);
    if (fragment) aliases += countAliases(fragment.selectionSet, pending);
  }
  return { depth: measured.depth, aliases, rootFields: measured.rootFields, cost: measured.cost };
}

function countAliases(selectionSet: SelectionSetNode, spreads: string[] = []): number {
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

// Duck-typed, not graphql's getNamedType/isListType: the gateway's schema comes from graphql's CommonJS build (via
// @apollo/gateway) while this file loads its ESM build, and their instanceof checks refuse types of the other build.
type WrappedType = { ofType?: WrappedType } & object;
const kindOf = (type: object) => Object.prototype.toString.call(type);

function namedTypeOf(type: WrappedType): GraphQLNamedType {
  let named = type;
  while (named.ofType) named = named.ofType;
  return named as GraphQLNamedType;
}

function isList(type: WrappedType): boolean {
  const nullable = kindOf(type) === '[object GraphQLNonNull]' ? type.ofType! : type;
  return kindOf(nullable) === '[object GraphQLList]';
}

function fieldOf(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (!parent || !('getFields' in parent)) return undefined;
  return (parent.getFields() as Record<string, GraphQLField<unknown, unknown>>)[name];
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

/**
 * Apollo Server plugin: refuses an operation that cannot be resolved (see above) or is beyond the limits once it is resolved (parsed, validated, chosen by
 * operationName), before the gateway plans or fetches anything.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          const error = operation
            ? unservableOperation(schema, operation) ?? limitError(measureOperation(schema, document, operation, request.variables ?? {}), limits)
            : unresolvedOperation(document, request.operationName);
          if (error) throw error;
        },
      };
    },
  };
}

/** The message an unexpected error gets in production. */
export const maskedMessage = 'Internal server error';

/**
 * Apollo Server's `formatError` for the gateway: every error carries `extensions.code` (INTERNAL_SERVER_ERROR when
 * it had none). With `mask` (production), an error whose code is not a client one keeps only its code and the
 * subgraph it came from (`serviceName`), with a generic message: a database or programming error's text says
 * things about the inside that clients must not see. Stack traces are never sent (includeStacktraceInErrorResponses
 * is off).
 *
 * Apollo Server refuses some requests with an HTTP 4xx error that has no code (a persisted query whose hash is not
 * the query's): those are the client's mistakes, whose messages say what to fix, so they get a client code here
 * rather than being masked as internal.
 */
export function formatGatewayError(mask: boolean): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const refusal = apolloRefusalCode(formatted, error);
    const code = refusal ?? (typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR');
    if (!mask || clientErrorCodes.has(code)) {
      if (code === 'PERSISTED_QUERY_HASH_MISMATCH') return { message: hashMismatchMessage, extensions: { ...formatted.extensions, code } };
      return formatted.extensions?.code === code ? formatted : { ...formatted, extensions: { ...formatted.extensions, code } };
    }
    const serviceName = formatted.extensions?.serviceName;
    return {
      message: maskedMessage,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code, ...(typeof serviceName === 'string' ? { serviceName } : {}) },
    };
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
