import { GraphQLError, type GraphQLFormattedError } from 'graphql';

// The error codes of the graph, in one registry for the gateway and every subgraph: each code's HTTP status, who
// raises it, what it means, and whether its message is written for clients (kept in production) or may carry
// internals (replaced by "Internal server error" in production). Errors are made with the factories below, so a
// code that is not in this table cannot be raised; the README's table of codes is checked against it.

export interface ErrorCodeInfo {
  /** The HTTP status of an answer this error ends before execution; 200 when it is one error among data. */
  status: number;
  /** Who raises it: the HTTP front of any service, the gateway, the subgraphs, or Apollo Server itself. */
  raisedBy: 'front' | 'gateway' | 'subgraph' | 'apollo';
  description: string;
  /** True when the message is written for clients and kept in production. */
  clientMessage: boolean;
}

export const errorCodes = {
  BAD_USER_INPUT: {
    status: 200,
    raisedBy: 'subgraph',
    description: 'An argument or input is malformed. The message says which and what is expected; `argumentName` names the argument, `fields` lists every problem of a mutation input (values are not echoed). 400 when a variable fails its type.',
    clientMessage: true,
  },
  NOT_FOUND: {
    status: 200,
    raisedBy: 'subgraph',
    description: 'A write names a record that does not exist (or was erased); `argumentName` names the argument. A read of an unknown id returns null instead. 404 for a path the services do not serve.',
    clientMessage: true,
  },
  UNAUTHENTICATED: {
    status: 401,
    raisedBy: 'front',
    description: 'The bearer token (or, at a subgraph, the identity from the gateway) was refused, with the reason; or a field or mutation needs a signed-in caller (then 200, the field null).',
    clientMessage: true,
  },
  FORBIDDEN: {
    status: 200,
    raisedBy: 'subgraph',
    description: 'The caller may not read this field or make this change (personal data, another organisation\'s record, a weaker role); the field is null, the rest is answered. 403 for a refused CORS preflight, and at a subgraph for any request with an `Origin` header (browsers never call subgraphs).',
    clientMessage: true,
  },
  SERVICE_UNAVAILABLE: {
    status: 200,
    raisedBy: 'subgraph',
    description: 'A write needed another subgraph to check its input and it did not answer; nothing was changed, try again. Also `networkRetention` when regions (which names the network\'s members) does not answer: that field is null, the rest of the answer stays.',
    clientMessage: true,
  },
  BAD_REQUEST: {
    status: 400,
    raisedBy: 'front',
    description: 'The HTTP request is not a GraphQL request: a body that is not JSON or not UTF-8, or a query missing.',
    clientMessage: true,
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    raisedBy: 'front',
    description: 'The body is larger than the service takes (`limit`: bytes; GATEWAY_MAX_BODY_BYTES at the gateway, SUBGRAPH_MAX_BODY_BYTES at a subgraph).',
    clientMessage: true,
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    raisedBy: 'front',
    description: 'The JSON body declares a charset other than UTF-8.',
    clientMessage: true,
  },
  BATCH_TOO_LARGE: {
    status: 400,
    raisedBy: 'front',
    description: 'A batched request (JSON array) holds more operations than allowed (`limit`, `measured`; GATEWAY_MAX_BATCH).',
    clientMessage: true,
  },
  GRAPHQL_PARSE_FAILED: {
    status: 400,
    raisedBy: 'apollo',
    description: 'The query text does not parse, or has more tokens than GATEWAY_MAX_TOKENS.',
    clientMessage: true,
  },
  GRAPHQL_VALIDATION_FAILED: {
    status: 400,
    raisedBy: 'apollo',
    description: 'The operation does not fit the schema (unknown field, wrong argument type, fragment cycle).',
    clientMessage: true,
  },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    raisedBy: 'gateway',
    description: 'The document has no operation of the name asked for, several without `operationName`, or a kind the graph does not serve (subscriptions).',
    clientMessage: true,
  },
  PERSISTED_QUERY_NOT_FOUND: {
    status: 200,
    raisedBy: 'apollo',
    description: 'The gateway does not know the persisted query hash: send the query once with its hash.',
    clientMessage: true,
  },
  PERSISTED_QUERY_HASH_MISMATCH: {
    status: 400,
    raisedBy: 'apollo',
    description: 'A persisted query was registered with a hash that is not the SHA-256 of its text.',
    clientMessage: true,
  },
  PERSISTED_QUERY_NOT_SUPPORTED: {
    status: 200,
    raisedBy: 'apollo',
    description: 'Persisted queries are off on this server.',
    clientMessage: true,
  },
  DOCUMENT_NOT_TRUSTED: {
    status: 400,
    raisedBy: 'gateway',
    description: 'TRUSTED_DOCUMENTS=enforce: the document (`documentId`: its SHA-256) is not in the trusted documents manifest of the client named by the `apollographql-client-name` header, so it was refused before being planned (or parsed, when introspection is off). Send an operation from that manifest, by id or exact text.',
    clientMessage: true,
  },
  QUERY_TOO_DEEP: {
    status: 400,
    raisedBy: 'gateway',
    description: 'Fields nest deeper than GATEWAY_MAX_DEPTH (`limit`, `measured`); at a subgraph, SUBGRAPH_MAX_DEPTH. Also, before parsing, a query text whose braces, parentheses or brackets nest more than 200 deep (`limit`).',
    clientMessage: true,
  },
  TOO_MANY_ALIASES: {
    status: 400,
    raisedBy: 'gateway',
    description: 'More aliases than GATEWAY_MAX_ALIASES (`limit`, `measured`); at a subgraph, SUBGRAPH_MAX_ALIASES.',
    clientMessage: true,
  },
  TOO_MANY_ROOT_FIELDS: {
    status: 400,
    raisedBy: 'gateway',
    description: 'More root fields than GATEWAY_MAX_ROOT_FIELDS (`limit`, `measured`); at a subgraph, SUBGRAPH_MAX_ROOT_FIELDS.',
    clientMessage: true,
  },
  TOO_MANY_REPRESENTATIONS: {
    status: 400,
    raisedBy: 'subgraph',
    description: 'A subgraph was sent more entity representations (`_entities`) in one operation than SUBGRAPH_MAX_REPRESENTATIONS (`limit`, `measured`).',
    clientMessage: true,
  },
  QUERY_TOO_COSTLY: {
    status: 400,
    raisedBy: 'gateway',
    description: 'The estimated cost is above GATEWAY_MAX_COST (`limit`, `measured`): ask for smaller pages or fewer nested lists.',
    clientMessage: true,
  },
  RATE_LIMITED: {
    status: 429,
    raisedBy: 'gateway',
    description: 'The caller\'s budget of estimated cost is spent (`budget`: organisation, client or anonymous); the message says which and when to retry, as do `retryAfterSeconds` and the `Retry-After` header. Nothing was executed.',
    clientMessage: true,
  },
  SUBGRAPH_TIMEOUT: {
    status: 200,
    raisedBy: 'gateway',
    description: 'A subgraph (`serviceName`) did not answer within its deadline; the other subgraphs\' data is returned.',
    clientMessage: true,
  },
  SUBGRAPH_UNAVAILABLE: {
    status: 200,
    raisedBy: 'gateway',
    description: 'A subgraph (`serviceName`) could not be reached, or its circuit is open after repeated failures; the rest is returned.',
    clientMessage: true,
  },
  SUBGRAPH_ERROR: {
    status: 200,
    raisedBy: 'gateway',
    description: 'A subgraph (`serviceName`) answered with an HTTP error or a body that is not GraphQL.',
    clientMessage: true,
  },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    raisedBy: 'apollo',
    description: 'Anything unexpected. In production the message is "Internal server error" and only the code (and `serviceName`) is kept; 200 when other fields were answered.',
    clientMessage: false,
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof errorCodes;

export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(errorCodes, code);

/** Codes whose messages are written for clients, and kept in production. */
export const clientErrorCodes: ReadonlySet<string> = new Set(
  Object.entries(errorCodes as Record<string, ErrorCodeInfo>).filter(([, info]) => info.clientMessage).map(([code]) => code),
);

/** The message an unexpected error gets in production. */
export const maskedErrorMessage = 'Internal server error';

/**
 * An error as production callers see it: one with a client code (clientErrorCodes) as it is; any other keeps its
 * code (INTERNAL_SERVER_ERROR when it had none), path, locations and `serviceName`, with a generic message, since a
 * database or programming error's text says things about the inside (SQL, table names, values).
 */
export function maskInternalError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR';
  if (clientErrorCodes.has(code)) return formatted;
  const serviceName = formatted.extensions?.serviceName;
  return {
    message: maskedErrorMessage,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code, ...(typeof serviceName === 'string' ? { serviceName } : {}) },
  };
}

/**
 * An error with a registered code. `http` sets the status of the whole answer, for errors that end a request
 * before execution (limits, unresolvable operations).
 */
export function graphqlError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}, http?: { status: number }): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, ...(http ? { http } : {}) } });
}

/** The body of an answer that is one error and no data, as the HTTP front sends its refusals. */
export function errorBody(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/** A client error: the message says what is wrong with which argument, so a caller can fix the request. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return graphqlError('BAD_USER_INPUT', message, argument ? { argumentName: argument } : {});
}

/** One problem with one field of a mutation's input; `field` is a dotted path from the argument, e.g. `input.email`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A mutation's input was refused: the message lists every problem, and `extensions.fields` carries them one by one,
 * so that a form can show each next to its field.
 */
export function invalidInput(problems: readonly FieldProblem[]): GraphQLError {
  return graphqlError('BAD_USER_INPUT', `Invalid input: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, { fields: problems });
}

/**
 * A write names a record that does not exist (or no longer: an erased talent). NOT_FOUND rather than
 * BAD_USER_INPUT: the request is well-formed, the record is missing. The message names the argument, not its value.
 */
export function notFound(what: string, argument: string): GraphQLError {
  return graphqlError('NOT_FOUND', `No ${what} has the id given in "${argument}".`, { argumentName: argument });
}

export function forbidden(message: string): GraphQLError {
  return graphqlError('FORBIDDEN', message);
}

export function unauthenticated(message: string): GraphQLError {
  return graphqlError('UNAUTHENTICATED', message);
}

/** Another service this one depends on did not answer; nothing was changed. */
export function serviceUnavailable(message: string): GraphQLError {
  return graphqlError('SERVICE_UNAVAILABLE', message);
}

/** The registry as the README's Markdown table (the README holds exactly this text; a test keeps them equal). */
export function errorCodeTable(): string {
  const rows = Object.entries(errorCodes as Record<string, ErrorCodeInfo>).map(
    ([code, info]) => `| \`${code}\` | ${info.status} | ${info.raisedBy} | ${info.clientMessage ? 'kept' : 'masked'} | ${info.description} |`,
  );
  return ['| code | HTTP status | raised by | message in production | meaning |', '| --- | ---: | --- | --- | --- |', ...rows].join('\n');
}
