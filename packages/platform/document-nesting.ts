// graphql-js parses recursively: a query text nested a few thousand braces deep overflows its stack, which Apollo
// Server reports as a parse failure reading "Maximum call stack size exceeded". The HTTP front refuses such texts
// first, with a message that says what is wrong, after one pass over the text that keeps no stack of its own.

/** Far above any real operation (the gateway refuses fields nested past GATEWAY_MAX_DEPTH, 15 by default), far below where parsing overflows. */
export const maxDocumentNesting = 200;

/**
 * Whether `{`, `(` and `[` nest deeper than `limit` anywhere in a GraphQL text, outside strings, block strings and
 * comments. A malformed text is left to the parser, which refuses it with its own message.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x28 || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x29 || c === 0x5d) {
      depth = Math.max(0, depth - 1);
    } else if (c === 0x23) {
      // A comment runs to the end of the line.
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x22) {
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        if (end < 0) return false;
        i = end + 2;
      } else {
        for (i++; i < text.length; i++) {
          const s = text.charCodeAt(i);
          if (s === 0x5c) i++;
          else if (s === 0x22 || s === 0x0a || s === 0x0d) break;
        }
      }
    }
  }
  return false;
}

/** The query texts of a request: `query` of the JSON body (or of each operation of a batch), and of a GET's query string. */
export function queryTexts(body: unknown, search: string): string[] {
  const texts: string[] = [];
  for (const item of Array.isArray(body) ? body : [body]) {
    const query = (item as { query?: unknown } | null)?.query;
    if (typeof query === 'string') texts.push(query);
  }
  if (search.length > 1) {
    const query = new URLSearchParams(search).get('query');
    if (query !== null) texts.push(query);
  }
  return texts;
}
