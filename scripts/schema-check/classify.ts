import { CriticalityLevel, type Change } from '@graphql-inspector/core';
import { allowFilePath, findEntry, type AllowEntry } from './allow-file.js';
import { finding, type Finding, type Location } from './findings.js';
import { coordinateOfPath, type SdlIndex } from './sdl-index.js';

// The policy applied to each change graphql-inspector finds: safe changes are listed, dangerous ones are warnings,
// breaking ones fail unless the allow-file declares them with a reason, and a field leaves the API schema only
// after it was @deprecated, whatever the allow-file says.

export interface ClassifyContext {
  schema: string;
  baseLabel: string;
  /** The schema's base version: was the removed field deprecated there? */
  base: SdlIndex;
  entries: AllowEntry[];
  locations: (coordinate: string | undefined) => Location[];
  /** True when removing this element takes it away from clients (it leaves the API schema). */
  reachesClients: (coordinate: string) => boolean;
}

/** Changes that need the element to be @deprecated at the base. */
const deprecateFirst = new Set<string>(['FIELD_REMOVED']);

const criticalities = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
} as const;

export function classify(change: Change, context: ClassifyContext): Finding {
  const coordinate = coordinateOfPath(change.path);
  const common = {
    kind: 'change' as const,
    schema: context.schema,
    code: change.type,
    criticality: criticalities[change.criticality.level],
    ...(coordinate ? { coordinate } : {}),
    ...(change.path ? { path: change.path } : {}),
    message: change.message,
    locations: context.locations(coordinate),
  };
  const why = change.criticality.reason && change.criticality.reason !== change.message ? [change.criticality.reason] : [];
  if (change.criticality.level === CriticalityLevel.NonBreaking) return finding({ ...common, level: 'safe' });
  if (change.criticality.level === CriticalityLevel.Dangerous) return finding({ ...common, level: 'warning', notes: why });

  const entry = findEntry(context.entries, context.schema, change.type, change.path);
  if (entry) entry.used = true;
  const entryAt = entry ? `${allowFilePath}:${entry.line}` : '';
  if (coordinate && deprecateFirst.has(change.type) && !context.base.elements.get(coordinate)?.deprecated && context.reachesClients(coordinate)) {
    return finding({
      ...common,
      level: 'error',
      notes: [
        `${coordinate} was not @deprecated at ${context.baseLabel}: deprecate it first (@deprecated(reason: "Use ... instead.")), ship that, and remove it in a later change.`,
        ...(entry ? [`The allow entry at ${entryAt} does not lift this rule.`] : []),
      ],
    });
  }
  if (entry?.valid) return finding({ ...common, level: 'warning', notes: [`Allowed by ${entryAt}: ${entry.reason}`] });
  const declaration = JSON.stringify({ schema: context.schema, type: change.type, path: change.path ?? '', reason: 'why, and what clients do instead' });
  return finding({
    ...common,
    level: 'error',
    notes: [
      ...why,
      entry
        ? `The allow entry at ${entryAt} is not valid (see above), so it allows nothing.`
        : `If it is intended, declare it in ${allowFilePath}: ${declaration}`,
    ],
  });
}
