// The subgraphs' cache reports (packages/subgraph-lib/cache-report.ts), gathered per incoming request from every
// fetch the gateway makes for it, and what they mean for the response cache's tags.
//
// Only subgraph answers carry reports: a client cannot send one (request extensions are never read here), and the
// report is removed from each subgraph answer before the gateway merges it, so no id reaches a client.

/** The `extensions` field subgraphs put their report in (the same name as in packages/subgraph-lib/cache-report.ts). */
export const cacheReportExtension = 'talentHubCache';

/** The header that asks a subgraph for its report, on every fetch (the same as in packages/subgraph-lib/cache-report.ts). */
export const cacheReportHeader = 'x-talent-hub-cache-report';

/** What the fetches of one incoming request reported. */
export interface CollectedReports {
  /** Refs changed by the mutation's committed writes. */
  changed: Set<string>;
  /** Refs the query's rows were derived from. */
  dependsOn: Set<string>;
  /** A fetch got no readable answer: it may have committed writes that nobody reported. */
  unanswered: boolean;
}

const collected = new WeakMap<object, CollectedReports>();

function reportsOf(context: object): CollectedReports {
  let reports = collected.get(context);
  if (!reports) collected.set(context, (reports = { changed: new Set(), dependsOn: new Set(), unanswered: false }));
  return reports;
}

/**
 * Takes the report out of a subgraph's answer (which is changed in place) and adds it to the request's. Without
 * a request context (a fetch made outside a client request) the report is only removed.
 */
export function takeReport(context: object | undefined, response: { extensions?: Record<string, unknown> | null }): void {
  const extensions = response.extensions;
  if (!extensions || typeof extensions !== 'object' || !(cacheReportExtension in extensions)) return;
  const report = extensions[cacheReportExtension] as { changed?: unknown; dependsOn?: unknown } | null;
  const { [cacheReportExtension]: _, ...rest } = extensions;
  if (Object.keys(rest).length > 0) response.extensions = rest;
  else delete response.extensions;
  if (!context || !report || typeof report !== 'object') return;
  const reports = reportsOf(context);
  for (const ref of refsIn(report.changed)) reports.changed.add(ref);
  for (const ref of refsIn(report.dependsOn)) reports.dependsOn.add(ref);
}

/** Notes that a fetch of the request got no answer it could read (failed, timed out, refused). */
export function noteUnanswered(context: object | undefined): void {
  if (context) reportsOf(context).unanswered = true;
}

/** What the request's fetches reported so far (nothing: empty). */
export function collectedReports(context: object): CollectedReports {
  return collected.get(context) ?? { changed: new Set(), dependsOn: new Set(), unanswered: false };
}

function refsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((ref): ref is string => typeof ref === 'string' && ref.length > 0) : [];
}

// Tags (see entities.ts for those the answer itself gives): `e:Type:key` holds that entity; `u:Type` holds one of
// that type without its key; `t:Type` holds one of that type; `l:Type` holds a list of that type (or a place one
// may appear); `o:<organisationId>` is an answer kept privately for callers of that organisation.

/** Tags of a cached answer for the entities its rows were derived from. */
export function dependencyTags(refs: Iterable<string>): string[] {
  const tags = new Set<string>();
  for (const ref of refs) {
    if (ref.startsWith('@')) continue;
    const colon = ref.indexOf(':');
    tags.add(colon > 0 ? `e:${ref}` : `u:${ref}`);
  }
  return [...tags];
}

/**
 * Tags to drop for what a mutation changed: an entity by key drops the answers holding it by key, those holding
 * its type without a key, and the lists of its type (which it may have joined, left or moved in); a type alone
 * drops every answer holding that type and its lists; an organisation drops every answer kept for its callers.
 */
export function changeTags(refs: Iterable<string>): string[] {
  const tags = new Set<string>();
  for (const ref of refs) {
    if (ref.startsWith('@org:')) {
      tags.add(`o:${ref.slice('@org:'.length)}`);
      continue;
    }
    if (ref.startsWith('@')) continue;
    const colon = ref.indexOf(':');
    const type = colon > 0 ? ref.slice(0, colon) : ref;
    if (colon > 0) {
      tags.add(`e:${ref}`);
      tags.add(`u:${type}`);
    } else {
      tags.add(`t:${type}`);
    }
    tags.add(`l:${type}`);
  }
  return [...tags];
}
