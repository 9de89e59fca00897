import DataLoader from 'dataloader';
import { readPage, toConnection, type Connection, type CursorValue, type Page, type PageArgs, type PageLimits } from './pagination.js';

// DataLoaders are built per request (see each subgraph's loaders.ts): a loader caches what it read, and a
// cache shared between requests would hand one caller's rows to another.

/** Loads rows by a unique key with one statement per batch; unknown keys resolve to null. */
export function rowLoader<K extends string, Row>(
  fetch: (keys: readonly K[]) => Promise<Row[]>,
  keyOf: (row: Row) => K,
): DataLoader<K, Row | null> {
  return new DataLoader<K, Row | null>(async (keys) => {
    const byKey = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** Loads a short, bounded list per parent key with one statement per batch; rows come back in fetch order. */
export function listLoader<K extends string, Row>(
  fetch: (keys: readonly K[]) => Promise<Row[]>,
  parentOf: (row: Row) => K,
): DataLoader<K, Row[]> {
  return new DataLoader<K, Row[]>(async (keys) => {
    const groups = new Map<K, Row[]>(keys.map((key) => [key, []]));
    for (const row of await fetch(keys)) groups.get(parentOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/**
 * A row the data guarantees to exist (a foreign key points at it), through its loader: a missing one is a broken
 * invariant of the store, reported as such rather than as null in a non-null field.
 */
export async function loadExisting<K, Row>(loader: DataLoader<K, Row | null>, key: K, what: string): Promise<Row> {
  const row = await loader.load(key);
  if (row === null) throw new Error(`The ${what} ${String(key)} is referenced but does not exist`);
  return row;
}

/** What a connection loader needs: the list's name (for cursors), limits, sort key, and the batched fetch. */
export interface ConnectionSource<Row> {
  list: string;
  limits: PageLimits;
  keyOf: (row: Row) => CursorValue[];
  keyLength: number;
  /** Returns at most `page.size + 1` rows per parent key, each tagged with its parent key. */
  fetch: (parentKeys: readonly string[], page: Page) => Promise<Row[]>;
  parentOf: (row: Row) => string;
  /** Counts the whole list of each parent key, in one statement; parents without a row count 0. */
  count: (parentKeys: readonly string[]) => Promise<{ parent_key: string; count: number }[]>;
}

export interface ConnectionLoader<Row> {
  load(parentKey: string, args: PageArgs): Promise<Connection<Row>>;
}

/**
 * Pages a long list per parent. Parents asking for the same page (same `first` and `after`, the usual case
 * for a list of parents) share one DataLoader, hence one SQL statement.
 */
export function connectionLoader<Row>(source: ConnectionSource<Row>): ConnectionLoader<Row> {
  const loaders = new Map<string, DataLoader<string, Connection<Row>>>();
  const counts = new DataLoader<string, number>(async (keys) => {
    const byKey = new Map((await source.count(keys)).map((c) => [c.parent_key, c.count]));
    return keys.map((key) => byKey.get(key) ?? 0);
  });
  return {
    load(parentKey, args) {
      const page = readPage(source.list, args, source.limits, source.keyLength);
      const pageKey = JSON.stringify([page.size, page.after]);
      let loader = loaders.get(pageKey);
      if (!loader) {
        loader = new DataLoader<string, Connection<Row>>(async (keys) => {
          const groups = new Map<string, Row[]>(keys.map((key) => [key, []]));
          if (page.size > 0) for (const row of await source.fetch(keys, page)) groups.get(source.parentOf(row))?.push(row);
          return keys.map((key) =>
            toConnection(source.list, groups.get(key) ?? [], page, source.keyOf, () => counts.load(key)),
          );
        });
        loaders.set(pageKey, loader);
      }
      return loader.load(parentKey);
    },
  };
}
