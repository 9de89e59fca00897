import { ChangeType } from '@graphql-inspector/core';
import { finding, type Finding } from './findings.js';
import { coordinateOfPath } from './sdl-index.js';

// The committed list of breaking changes that are made on purpose: schema/allowed-breaking-changes.json. Each
// entry names one change of one schema (its type and path, as the check prints them) and says why it is made.

export const allowFilePath = 'schema/allowed-breaking-changes.json';

export interface AllowEntry {
  schema: string;
  type: string;
  path: string;
  reason: string;
  /** Line of the entry in the file, so that messages can point at it. */
  line: number;
  /** False when the entry is malformed (e.g. an empty reason): it then allows nothing. */
  valid: boolean;
  used: boolean;
}

const changeTypes = new Set<string>(Object.values(ChangeType));

export function parseAllowFile(text: string | undefined, file = allowFilePath): { entries: AllowEntry[]; problems: Finding[] } {
  if (text === undefined) return { entries: [], problems: [] };
  // A problem of one entry names the entry's schema and element when it has them.
  const problem = (line: number, message: string, entry?: { schema: string; path: string }): Finding =>
    finding({
      level: 'error',
      kind: 'allow-file',
      schema: entry?.schema || 'allow-file',
      code: 'ALLOW_FILE_INVALID',
      ...(entry?.path ? { coordinate: coordinateOfPath(entry.path), path: entry.path } : {}),
      message,
      locations: [{ file, line }],
    });

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { entries: [], problems: [problem(1, `${file} is not valid JSON: ${(error as Error).message}`)] };
  }
  const top = data as Record<string, unknown> | null;
  if (!top || typeof top !== 'object' || Array.isArray(top) || !Array.isArray(top['changes'])) {
    return { entries: [], problems: [problem(1, `${file} must be an object with a "changes" list: {"$comment": "...", "changes": []}`)] };
  }
  const problems: Finding[] = [];
  const unknownKeys = Object.keys(top).filter((key) => key !== '$comment' && key !== 'changes');
  if (unknownKeys.length > 0) problems.push(problem(1, `${file} has unknown key(s) ${unknownKeys.join(', ')}: only "$comment" and "changes"`));

  const lines = entryLines(text);
  const entries = (top['changes'] as unknown[]).map((item, index): AllowEntry => {
    const line = lines[index] ?? 1;
    const entry = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
    const field = (key: string) => (typeof entry[key] === 'string' ? (entry[key] as string).trim() : '');
    const parsed = { schema: field('schema'), type: field('type'), path: field('path'), reason: field('reason'), line, valid: true, used: false };
    const missing = (['schema', 'type', 'path', 'reason'] as const).filter((key) => parsed[key] === '');
    if (missing.length > 0) {
      parsed.valid = false;
      const why = missing.includes('reason') ? ' (say why the change is made and what clients must do)' : '';
      problems.push(problem(line, `Entry ${index + 1} of ${file} has no ${missing.join(', no ')}${why}: it allows nothing`, parsed));
    } else if (!changeTypes.has(parsed.type)) {
      parsed.valid = false;
      problems.push(problem(line, `Entry ${index + 1} of ${file}: "${parsed.type}" is not a change type (e.g. FIELD_REMOVED, FIELD_TYPE_CHANGED): it allows nothing`, parsed));
    }
    const extra = Object.keys(entry).filter((key) => !['schema', 'type', 'path', 'reason'].includes(key));
    if (extra.length > 0) problems.push(problem(line, `Entry ${index + 1} of ${file} has unknown key(s) ${extra.join(', ')}: only schema, type, path, reason`, parsed));
    return parsed;
  });
  return { entries, problems };
}

/** The entry, valid or not, that names this change of this schema. */
export function findEntry(entries: readonly AllowEntry[], schema: string, type: string, path: string | undefined): AllowEntry | undefined {
  return entries.find((entry) => entry.schema === schema && entry.type === type && entry.path === path);
}

/**
 * The line of each object in the "changes" list: JSON.parse gives no positions, so the text is scanned for the
 * objects that open at depth two (the top object, then the list), skipping strings.
 */
function entryLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') line++;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (char === '{' && depth === 2) lines.push(line);
      depth++;
    } else if (char === '}' || char === ']') depth--;
  }
  return lines;
}
