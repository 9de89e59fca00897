import { AsyncLocalStorage } from 'node:async_hooks';

// What the serving layer learns about one HTTP request while it runs, from places that do not see the request:
// the database log hook (db.ts) counts its SQL statements, the Apollo Server plugin (metrics.ts) notes its
// operation name and error codes. The HTTP layer reads it back for the request's log line and metrics.
// AsyncLocalStorage carries it through the resolvers' awaits and DataLoader batches without a new field in the
// context every resolver gets.

export interface RequestRecord {
  requestId: string;
  /** SQL statements sent while serving the request. */
  statements: number;
  /** The operation's name as the document gives it (an identifier), null for an unnamed or unparsed one. */
  operation: string | null;
  /** `extensions.code` of each error in the response, in order. */
  errorCodes: string[];
  /** Whether the response carried data (partial data with errors, or none). */
  hasData: boolean;
}

const scope = new AsyncLocalStorage<RequestRecord>();

export function newRequestRecord(requestId: string): RequestRecord {
  return { requestId, statements: 0, operation: null, errorCodes: [], hasData: false };
}

export function runInRequest<T>(record: RequestRecord, fn: () => T): T {
  return scope.run(record, fn);
}

/** The record of the HTTP request being served, if any (none in migrations, seeds, background work, tests). */
export function currentRequest(): RequestRecord | undefined {
  return scope.getStore();
}
