import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContextWillSendResponse, type GraphQLResponse } from '@apollo/server';
import type { DefinitionNode, DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { graphql } from './graphql.js';
import type { GatewayContext } from '../context.js';
import { warmUpRequest } from '../subgraph-source.js';
import type { Logger } from '../supergraph.js';
import { entitiesIn, entryTags, invalidationTags, selectsGuardedField, supergraphFacts, type SupergraphFacts } from './entities.js';
import type { CacheStore } from './keyvalue.js';
import { changeTags, collectedReports, dependencyTags } from './subgraph-reports.js';

const { getNamedType, Kind, print, printSchema } = graphql;

/**
 * How long after an invalidation answers holding the invalidated entities are not cached again. A query that was
 * under way when the mutation committed may carry the old data; it is answered, but not stored, as long as it
 * finishes within this time (requests take far less: subgraph fetches time out sooner).
 */
export const invalidationHoldSeconds = 10;

export interface ResponseCacheOptions {
  store: CacheStore;
  /** Entries live at most this long, whatever the subgraphs' hints say (seconds). */
  maxTtlSeconds: number;
  /** Called on each lookup, with whether it hit (for a hit-ratio metric; no labels carry request data). */
  onLookup?: (hit: boolean) => void;
  logger: Logger;
}

interface CachedAnswer {
  data: Record<string, unknown>;
  maxAge: number;
  scope: 'PUBLIC' | 'PRIVATE';
  /** Epoch ms. */
  storedAt: number;
}

interface SchemaState {
  /** Part of every key: answers from another supergraph are never served. */
  id: string;
  facts: SupergraphFacts;
  schema: GraphQLSchema;
  /** Whether each parsed document selects a guarded field (documents are cached and reused by Apollo Server). */
  guarded: WeakMap<DocumentNode, boolean>;
}

/**
 * The gateway's response cache, an Apollo Server plugin over the shared store.
 *
 * What is cached: whole answers of queries (never mutations) without errors, whose overall cache policy (the
 * most restrictive of the subgraphs' `Cache-Control` answers, which their `@cacheControl` hints make) has a
 * max-age above 0; for that max-age, at most `maxTtlSeconds`.
 *
 * Who gets an answer again: the key is a hash of the supergraph, the query text, the operation name, the
 * variables, and a partition:
 * - PUBLIC answers: one partition for every caller;
 * - PRIVATE answers: one partition per caller (organisation, subject and roles), and one for anonymous callers,
 *   so that one caller's private answer is never another's.
 * An answer to an operation that selects a field guarded by `@authenticated`, `@requiresScopes` or `@policy` is
 * kept PRIVATE whatever its hints say: what such a field holds depends on who asks. A caller looks in its own
 * partition first, then in the public one.
 *
 * Invalidation: each entry is tagged with the entities its answer holds (see entities.ts), the types of the lists
 * it holds (and of entity fields it holds as null), the entities the subgraphs derived its rows from (a
 * registration's talent, see packages/subgraph-lib/cache-report.ts), and, when private to a caller, the caller's
 * organisation. After a mutation, what the subgraphs report its committed writes changed is invalidated, whatever
 * the answer looks like (`data: null`, errors, aliases, fields left out); without any report, the entities its
 * answer holds: every entry holding a changed entity, a list of its type, or (for a consent) kept for the organisation
 * concerned is dropped, in every gateway sharing the store, before the mutation's answer is sent, so that the
 * caller reads its own write. A mutation fetch that got no answer (timeout, connection lost) may have committed
 * unreported: the types its root fields return are then dropped whole.
 */
export function responseCachePlugin(options: ResponseCacheOptions): ApolloServerPlugin<GatewayContext> {
  const { store, logger } = options;
  let state: SchemaState | undefined;

  const isGuarded = (current: SchemaState, document: DocumentNode): boolean => {
    let guarded = current.guarded.get(document);
    if (guarded === undefined) {
      guarded = selectsGuardedField(current.schema, document, current.facts);
      current.guarded.set(document, guarded);
    }
    return guarded;
  };

  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
          // Outside a gateway (a plain schema, in tests) the schema's own `@key` directives name the entities.
          const source = coreSupergraphSdl ?? printSchema(apiSchema);
          state = {
            id: createHash('sha256').update(source).digest('hex').slice(0, 16),
            facts: supergraphFacts(coreSupergraphSdl ?? print(schemaDefinitions(apiSchema))),
            schema: apiSchema,
            guarded: new WeakMap(),
          };
        },
      };
    },

    async requestDidStart() {
      let keys: { own: string; shared: string } | undefined;
      let hit = false;
      let current: SchemaState | undefined;

      return {
        async responseForOperation(requestContext) {
          current = state;
          const operation = requestContext.operation;
          // The gateway's own warm-up requests (query planning at start) are neither looked up nor counted.
          if ((requestContext.contextValue as unknown as Record<symbol, unknown>)[warmUpRequest]) {
            current = undefined;
            return null;
          }
          if (!current || operation.operation !== 'query') {
            requestContext.response.http.headers.set('x-cache', 'BYPASS');
            return null;
          }
          const variables = stableJson(requestContext.request.variables ?? {});
          // Variables too deep for a key (the limits plugin refuses them first): answered, never cached.
          if (variables === undefined) {
            requestContext.response.http.headers.set('x-cache', 'BYPASS');
            return null;
          }
          const base = [current.id, requestContext.queryHash, requestContext.request.operationName ?? '', variables].join('\u0000');
          keys = { own: entryKey(base, partitionOf(requestContext.contextValue)), shared: entryKey(base, 'public') };
          const [own, shared] = await store.getMany([keys.own, keys.shared]);
          const cached = readAnswer(own) ?? readAnswer(shared);
          options.onLookup?.(cached !== undefined);
          if (!cached) {
            requestContext.response.http.headers.set('x-cache', 'MISS');
            return null;
          }
          hit = true;
          requestContext.overallCachePolicy.replace({ maxAge: cached.maxAge, scope: cached.scope });
          const headers = requestContext.response.http.headers;
          headers.set('x-cache', 'HIT');
          headers.set('age', String(Math.max(0, Math.floor((Date.now() - cached.storedAt) / 1000))));
          const response: GraphQLResponse = { http: { headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: cached.data } } };
          return response;
        },

        async willSendResponse(requestContext) {
          if (hit || !current || !requestContext.operation || !requestContext.document) return;
          const body = requestContext.response.body;
          if (body.kind !== 'single') return;
          const { data, errors } = body.singleResult;
          if (requestContext.operation.operation === 'mutation') {
            await invalidate(current, requestContext, data ?? undefined);
            return;
          }
          if (!keys || !data || (errors && errors.length > 0)) return;
          const status = requestContext.response.http.status;
          if (status !== undefined && status !== 200) return;
          const policy = requestContext.overallCachePolicy.policyIfCacheable();
          if (!policy) return;
          const scope = policy.scope === 'PUBLIC' && !isGuarded(current, requestContext.document) ? 'PUBLIC' : 'PRIVATE';
          const ttl = Math.min(policy.maxAge, options.maxTtlSeconds);
          if (ttl <= 0) return;
          const tags = entryTags(entitiesIn(current.schema, requestContext.document, requestContext.operation, data, current.facts));
          tags.push(...dependencyTags(collectedReports(requestContext.contextValue).dependsOn));
          // A consent granted to or withdrawn from the organisation changes what its callers may read.
          const organisationId = requestContext.contextValue.identity?.organisationId;
          if (scope === 'PRIVATE' && organisationId) tags.push(`o:${organisationId}`);
          const answer: CachedAnswer = { data, maxAge: policy.maxAge, scope, storedAt: Date.now() };
          await store.setTagged(scope === 'PUBLIC' ? keys.shared : keys.own, JSON.stringify(answer), ttl, tags);
        },
      };
    },
  };

  async function invalidate(
    current: SchemaState,
    requestContext: GraphQLRequestContextWillSendResponse<GatewayContext>,
    data: Record<string, unknown> | undefined,
  ): Promise<void> {
    const reports = collectedReports(requestContext.contextValue);
    const tags = new Set(changeTags(reports.changed));
    // What the subgraphs report is exact; the answer, read only when none did (a subgraph without the report
    // plugin), may name entities by type alone and drop far more.
    if (data && reports.changed.size === 0) {
      const refs = entitiesIn(current.schema, requestContext.document!, requestContext.operation!, data, current.facts, { idFields: true });
      for (const tag of invalidationTags(refs)) tags.add(tag);
    }
    if (reports.unanswered) for (const tag of unansweredTags(current, requestContext.operation!)) tags.add(tag);
    if (tags.size === 0) return;
    const dropped = await store.invalidateTags([...tags], invalidationHoldSeconds);
    logger.debug(`Response cache: ${dropped} answer(s) dropped after ${requestContext.operationName ?? 'a mutation'}`);
  }
}

/**
 * What to drop when a mutation fetch got no answer: every answer holding, or listing, a type one of the
 * operation's root fields returns (what else it changed is unknown; erasure in other subgraphs is not covered).
 */
function unansweredTags(current: SchemaState, operation: OperationDefinitionNode): string[] {
  const root = current.schema.getMutationType();
  if (!root) return [];
  const fields = root.getFields();
  const tags: string[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const field = fields[selection.name.value];
    if (!field) continue;
    const type = getNamedType(field.type).name;
    tags.push(...changeTags([type]));
  }
  return tags;
}

/**
 * The private partition of a caller. Roles are part of it: after a change of roles, answers made for the old
 * ones are not served. Hashed with the rest of the key, so no identifier is readable in the store.
 */
function partitionOf(context: GatewayContext): string {
  const identity = context.identity;
  if (!identity) return 'anonymous';
  return ['private', identity.organisationId, identity.subject, [...identity.roles].sort().join(',')].join('\u0000');
}

function entryKey(base: string, partition: string): string {
  return `rc:${createHash('sha256').update(base).update('\u0000').update(partition).digest('hex')}`;
}

function readAnswer(text: string | undefined): CachedAnswer | undefined {
  if (text === undefined) return undefined;
  try {
    const answer = JSON.parse(text) as CachedAnswer;
    return answer && typeof answer.data === 'object' && typeof answer.storedAt === 'number' ? answer : undefined;
  } catch {
    return undefined;
  }
}

/** Deepest nesting of objects and lists `stableJson` writes: beyond the limits plugin's, so never reached by a request it let through. */
export const maxKeyDepth = 64;

/**
 * JSON with object keys sorted, so that `{a, b}` and `{b, a}` make the same key; undefined for a value nesting
 * deeper than `maxKeyDepth` (client input: the recursion is bounded, never the stack's size).
 */
export function stableJson(value: unknown, depth = 0): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (depth >= maxKeyDepth) return undefined;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const part = stableJson(item, depth + 1);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return `[${parts.join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k, v] of entries) {
    const part = stableJson(v, depth + 1);
    if (part === undefined) return undefined;
    parts.push(`${JSON.stringify(k)}:${part}`);
  }
  return `{${parts.join(',')}}`;
}

/** The type definitions a schema was built from, directives included (printSchema leaves them out). */
function schemaDefinitions(schema: GraphQLSchema): DocumentNode {
  const definitions: DefinitionNode[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.astNode) definitions.push(type.astNode);
    for (const extension of type.extensionASTNodes ?? []) definitions.push(extension);
  }
  return { kind: Kind.DOCUMENT, definitions };
}
