import { sql, type Expression, type SqlBool } from 'kysely';
import { badUserInput } from '@talent-hub/platform/errors';

/** Arguments every connection field takes. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Limits of one connection field: what a page holds when `first` is absent, and the most it may hold. */
export interface PageLimits {
  defaultSize: number;
  maxSize: number;
}

export const NESTED_PAGE: PageLimits = { defaultSize: 20, maxSize: 100 };
export const ROOT_PAGE: PageLimits = { defaultSize: 20, maxSize: 500 };

/** A validated page request: how many rows, and the sort key of the last row already seen. */
export interface Page {
  size: number;
  after: readonly CursorValue[] | null;
}

export type CursorValue = string | number;

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /**
   * Items in the whole list. A function, so that GraphQL's default resolver runs the count only when a client
   * selects `totalCount`: a page alone never pays for counting.
   */
  totalCount: () => Promise<number>;
}

const noCount = () => Promise.resolve(0);

/**
 * Cursors are opaque to clients: base64url of the list's name and the sort key of a row. The name lets a
 * cursor taken from one list be refused by another instead of silently paging the wrong thing.
 */
export function encodeCursor(list: string, key: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

const invalidCursor = (list: string | undefined) =>
  badUserInput(`Argument "after" is not a cursor of this list${list ? ` (${list})` : ''}; pass an endCursor it returned.`, 'after');

/** The list each decoded key came from, so that afterKey can name it when a value does not fit its column. */
const listOfKey = new WeakMap<readonly CursorValue[], string>();

export function decodeCursor(list: string, cursor: string, keyLength: number): CursorValue[] {
  const invalid = () => invalidCursor(list);
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded[0] !== list || decoded.length !== keyLength + 1) throw invalid();
  const key = decoded.slice(1);
  if (!key.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) throw invalid();
  listOfKey.set(key, list);
  return key as CursorValue[];
}

/** Validates `first` and `after` against a list's limits. */
export function readPage(list: string, args: PageArgs, limits: PageLimits, keyLength = 1): Page {
  const { first, after } = args;
  if (first != null && (!Number.isInteger(first) || first < 0 || first > limits.maxSize)) {
    throw badUserInput(`Argument "first" must be an integer from 0 to ${limits.maxSize}; got ${first}.`, 'first');
  }
  return {
    size: first ?? limits.defaultSize,
    after: after == null ? null : decodeCursor(list, after, keyLength),
  };
}

/**
 * Builds a connection from rows fetched with `size + 1` as the limit: the extra row, when present, only tells
 * that a next page exists.
 */
export function toConnection<T>(
  list: string,
  rows: readonly T[],
  page: Page,
  keyOf: (row: T) => CursorValue[],
  count: () => Promise<number> = noCount,
): Connection<T> {
  const nodes = rows.slice(0, page.size);
  // Cursors are made when a client selects them: most pages are read as `nodes`, and encoding a cursor for each of
  // a thousand nested rows that nobody reads was a measurable share of a large page's CPU.
  const cursorAt = (index: number) => (nodes[index] === undefined ? null : encodeCursor(list, keyOf(nodes[index]!)));
  let edges: { cursor: string; node: T }[] | undefined;
  return {
    get edges() {
      return (edges ??= nodes.map((node, index) => ({ cursor: cursorAt(index)!, node })));
    },
    nodes,
    pageInfo: {
      hasNextPage: rows.length > page.size,
      hasPreviousPage: page.after !== null,
      get startCursor() {
        return cursorAt(0);
      },
      get endCursor() {
        return cursorAt(nodes.length - 1);
      },
    },
    totalCount: count,
  };
}

/** One column of a keyset sort, with the SQL type its cursor value is compared as. */
export interface KeyColumn {
  column: string;
  type: 'text' | 'timestamptz' | 'integer' | 'uuid';
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const timestampShape = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2}):?(\d{2}))$/;

/** Whether PostgreSQL will take `value` as a `type` (so that a forged cursor never reaches SQL to fail there). */
export function fitsColumn(type: KeyColumn['type'], value: CursorValue): boolean {
  switch (type) {
    case 'text':
      // PostgreSQL text holds no NUL character.
      return typeof value === 'string' && !value.includes('\u0000');
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647;
    case 'uuid':
      return typeof value === 'string' && uuidShape.test(value);
    case 'timestamptz': {
      const match = typeof value === 'string' ? timestampShape.exec(value) : null;
      if (!match) return false;
      const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
      const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
      return year! >= 1 && month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! <= 23 && minute! <= 59 && second! <= 59 && offsetHours! <= 15 && offsetMinutes! <= 59;
    }
  }
}

/**
 * The keyset condition `(a, b) > ($1, $2)`: rows strictly after the cursor in the list's ascending order.
 * A row-value comparison lets PostgreSQL seek an index on the same columns instead of scanning (no OFFSET).
 * Each value is checked against its column's type first: a cursor is client input, and a value PostgreSQL cannot
 * cast (a forged cursor) is BAD_USER_INPUT here rather than a database error with SQL in its text.
 */
export function afterKey(columns: readonly KeyColumn[], values: readonly CursorValue[]): Expression<SqlBool> {
  if (values.length !== columns.length || columns.some((c, i) => !fitsColumn(c.type, values[i]!))) throw invalidCursor(listOfKey.get(values));
  const left = sql.join(columns.map((c) => sql.ref(c.column)));
  const right = sql.join(columns.map((c, i) => sql`cast(${values[i]} as ${sql.raw(c.type)})`));
  return sql<SqlBool>`(${left}) > (${right})`;
}

/** The connection of a parent that cannot have items (e.g. a malformed id passed by reference). */
export function emptyConnection<T>(): Connection<T> {
  return {
    edges: [],
    nodes: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    totalCount: noCount,
  };
}
