import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { errorBody, isErrorCode, type ErrorCode } from '@talent-hub/platform/errors';
import { cursorParameter, exportContentTypes, exportPrefix, parseExportPath, type ExportDataset } from '@talent-hub/platform/export-paths';
import { HttpRefusal, type HttpRoute } from '@talent-hub/platform/http-front';
import type { Identity } from '@talent-hub/platform/identity';
import type { Kysely } from 'kysely';
import { exportStream, type ExportSource } from './export.js';
import { DateScalar, DateTime } from './scalars.js';

// GET /export/<dataset>.<format>?<filters> at a subgraph: what the gateway's export proxy forwards. Like the
// subgraph's GraphQL, it serves only requests that carry the gateway's internal token (always required here, not
// only in production): the identity in it decides which rows and columns the caller gets, with the same policies as
// the resolvers. Filters are read by the same functions as the graph's arguments, so they fail the same way (400).

/** One dataset a subgraph exports. */
export interface ExportDefinition<Ctx> {
  /** The query parameters it takes besides `after` (the filters); any other is refused with 400. */
  parameters: readonly string[];
  /**
   * What to stream for this caller and these parameters (each given once): throws a GraphQL error
   * (BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN) or an HttpRefusal to refuse. `after` is null from the start.
   */
  open(context: Ctx, parameters: ReadonlyMap<string, string>, after: string | null): ExportSource | Promise<ExportSource>;
}

export type ExportDefinitions<Ctx> = Partial<Record<ExportDataset, ExportDefinition<Ctx>>>;

export interface ExportRouteOptions<Ctx> {
  db: Kysely<any>;
  definitions: ExportDefinitions<Ctx>;
  /** The caller of a request, from its internal token (throws an HttpRefusal 401 without a valid one). */
  identify(req: http.IncomingMessage, requestId: string): Identity | null;
  context(identity: Identity | null, requestId: string): Ctx;
  onError(error: unknown, requestId: string): void;
}

const statusOfCode: Partial<Record<ErrorCode, number>> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

export function exportRoute<Ctx>(options: ExportRouteOptions<Ctx>): HttpRoute {
  return {
    prefix: exportPrefix,
    async handle(req, res, requestId) {
      req.resume();
      const answer = (status: number, code: ErrorCode, message: string) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(errorBody(code, message));
      };
      let stream;
      try {
        if (req.method !== 'GET') {
          res.setHeader('allow', 'GET');
          return answer(405, 'BAD_REQUEST', 'Exports are read with GET.');
        }
        const identity = options.identify(req, requestId);
        const url = new URL(req.url ?? '/', 'http://subgraph');
        const path = parseExportPath(url.pathname);
        if ('status' in path) return answer(path.status, path.status === 404 ? 'NOT_FOUND' : 'BAD_USER_INPUT', path.message);
        const definition = options.definitions[path.dataset];
        if (!definition) return answer(404, 'NOT_FOUND', `This subgraph does not export ${path.dataset}.`);
        const { parameters, after } = readParameters(url.searchParams, definition.parameters, path.dataset);
        const source = await definition.open(options.context(identity, requestId), parameters, after);
        if (after !== null && source.kind !== 'keyset') return answer(400, 'BAD_USER_INPUT', `Export ${path.dataset} is not resumable: it takes no "${cursorParameter}".`);
        stream = await exportStream(options.db, source, path.format, after);
        res.writeHead(200, { 'content-type': exportContentTypes[path.format], 'cache-control': 'no-store' });
      } catch (error) {
        if (error instanceof HttpRefusal) return answer(error.status, error.code, error.message);
        const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
        const status = isErrorCode(code) ? statusOfCode[code] : undefined;
        if (status !== undefined) return answer(status, code as ErrorCode, parameterMessage((error as Error).message));
        throw error;
      }
      try {
        await pipeline(stream, res);
      } catch (error) {
        // The reader left (nothing to tell it) or the stream failed after the headers: the response is cut, so
        // the client sees an incomplete download and resumes from its last complete row.
        if (!res.destroyed || !req.destroyed) options.onError(error, requestId);
        res.destroy();
      }
    },
  };
}

/** The filters once each, and the cursor; 400 for a parameter the dataset does not take or one given twice. */
function readParameters(search: URLSearchParams, known: readonly string[], dataset: string) {
  const parameters = new Map<string, string>();
  let after: string | null = null;
  for (const [name, value] of search) {
    if (name !== cursorParameter && !known.includes(name)) {
      const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
      throw new HttpRefusal(400, 'BAD_USER_INPUT', `Export ${dataset} takes no parameter "${shown}"; it takes ${[...known, cursorParameter].join(', ')}.`);
    }
    if (name === cursorParameter ? after !== null : parameters.has(name)) {
      throw new HttpRefusal(400, 'BAD_USER_INPUT', `Parameter "${name}" is given twice.`);
    }
    if (name === cursorParameter) after = value;
    else parameters.set(name, value);
  }
  return { parameters, after };
}

/** The graph's argument messages, said of query parameters: `Argument "filter.skillUri"` is `Parameter "skillUri"`. */
function parameterMessage(message: string): string {
  return message.replace(/Argument "(?:filter\.)?([^"]+)"/g, 'Parameter "$1"').replace(/"filter\.([^"]+)"/g, '"$1"');
}

// Query parameters are text; these read the scalar ones as the graph's scalars do, naming the parameter on failure.

function scalarParameter<T>(parameters: ReadonlyMap<string, string>, name: string, parse: (value: string) => T): T | null {
  const value = parameters.get(name);
  if (value === undefined) return null;
  try {
    return parse(value);
  } catch (error) {
    throw new HttpRefusal(400, 'BAD_USER_INPUT', `Parameter "${name}": ${(error as Error).message}.`);
  }
}

/** A Date parameter (`YYYY-MM-DD`, a day of the calendar). */
export const dateParameter = (parameters: ReadonlyMap<string, string>, name: string) =>
  scalarParameter(parameters, name, (v) => DateScalar.parseValue(v) as string);

/** A DateTime parameter (ISO 8601 with an offset). */
export const dateTimeParameter = (parameters: ReadonlyMap<string, string>, name: string) =>
  scalarParameter(parameters, name, (v) => DateTime.parseValue(v) as Date);

/** An integer parameter. */
export const integerParameter = (parameters: ReadonlyMap<string, string>, name: string) =>
  scalarParameter(parameters, name, (v) => {
    if (!/^-?\d{1,9}$/.test(v)) throw new Error(`must be an integer; got "${v.slice(0, 40)}"`);
    return Number(v);
  });

/** A parameter that must be one of `values` (an enum of the graph). */
export function enumParameter<T extends string>(parameters: ReadonlyMap<string, string>, name: string, values: readonly T[]): T | null {
  return scalarParameter(parameters, name, (v) => {
    if (!(values as readonly string[]).includes(v)) throw new Error(`must be one of ${values.join(', ')}; got "${v.slice(0, 40)}"`);
    return v as T;
  });
}
