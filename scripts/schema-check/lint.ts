import type { SdlElement, SdlIndex } from './sdl-index.js';

// The schema lint: every element documented, names in the GraphQL conventions, and (in the API schema) no type
// that no client can reach. It runs on the subgraph SDLs, where the documentation is written, and on the composed
// API schema, which is what clients read.

export type LintRule = 'description' | 'naming' | 'unused-type';

export interface LintProblem {
  rule: LintRule;
  coordinate: string;
  message: string;
  line: number;
}

const builtInScalars = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

/**
 * The directives of the Federation 2 and link specifications. A subgraph never needs to define them, but an SDL
 * may (federation 1 style); their definitions are the spec's, not the subgraph's to document.
 */
const federationDirectives = new Set([
  'link', 'key', 'requires', 'provides', 'external', 'tag', 'extends', 'shareable', 'inaccessible', 'override',
  'composeDirective', 'interfaceObject', 'authenticated', 'requiresScopes', 'policy', 'context', 'fromContext',
  'cost', 'listSize',
]);

/**
 * Federation and link machinery: `_Entity`, `_Service`, `_Any`, `_FieldSet`, `Query._entities`, and the
 * spec-prefixed names (`link__Import`, `federation__FieldSet`, `join__Graph`, `@federation__key`).
 */
export function isMachineryName(name: string): boolean {
  return name.startsWith('_') || /^[a-z]+__/.test(name);
}

function isMachinery(element: SdlElement): boolean {
  if (element.kind === 'directive' || element.kind === 'directive argument') {
    const directive = element.coordinate.slice(1).split('(')[0]!;
    return federationDirectives.has(directive) || isMachineryName(directive);
  }
  const typeName = element.coordinate.split('.')[0]!;
  return isMachineryName(typeName) || isMachineryName(element.name) || (element.kind === 'type' && builtInScalars.has(element.name));
}

const pascalCase = /^[A-Z][A-Za-z0-9]*$/;
const camelCase = /^[a-z][A-Za-z0-9]*$/;
const upperSnakeCase = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

const kindLabel: Record<SdlElement['kind'], string> = {
  type: 'Type',
  field: 'Field',
  argument: 'Argument',
  'input field': 'Input field',
  'enum value': 'Enum value',
  directive: 'Directive',
  'directive argument': 'Directive argument',
};

export function lintSchema(index: SdlIndex, options: { unusedTypes: boolean }): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const element of index.elements.values()) {
    if (isMachinery(element)) continue;
    const label = `${element.kind === 'type' ? typeLabel(element) : kindLabel[element.kind]} ${element.coordinate}`;
    if (needsDescription(element, index) && !element.description?.trim()) {
      problems.push({ rule: 'description', coordinate: element.coordinate, line: element.line, message: `${label} has no description` });
    }
    const convention = namingConvention(element);
    if (!convention.shape.test(element.name)) {
      problems.push({
        rule: 'naming',
        coordinate: element.coordinate,
        line: element.line,
        message: `${label}: "${element.name}" is not ${convention.name}`,
      });
    }
  }
  if (options.unusedTypes) problems.push(...unusedTypes(index));
  return problems;
}

/**
 * Root operation types are exempt: every subgraph contributes to Query and Mutation, so a description there
 * would be one subgraph's word for all of them (composition keeps one and hints at the others); their fields
 * carry the documentation. A type written only as `extend type` is documented where it is defined.
 */
function needsDescription(element: SdlElement, index: SdlIndex): boolean {
  if (element.kind !== 'type') return true;
  return !element.extensionOnly && !index.rootTypes.has(element.name);
}

function namingConvention(element: SdlElement): { name: string; shape: RegExp } {
  switch (element.kind) {
    case 'type':
      return { name: 'PascalCase (e.g. TalentFilter)', shape: pascalCase };
    case 'enum value':
      return { name: 'UPPER_SNAKE_CASE (e.g. YOUNG_PROFESSIONAL)', shape: upperSnakeCase };
    default:
      return { name: 'camelCase (e.g. residenceRegion)', shape: camelCase };
  }
}

function typeLabel(element: SdlElement): string {
  switch (element.typeKind) {
    case 'ENUM':
      return 'Enum';
    case 'INPUT_OBJECT':
      return 'Input type';
    case 'SCALAR':
      return 'Scalar';
    case 'UNION':
      return 'Union';
    case 'INTERFACE':
      return 'Interface';
    default:
      return 'Type';
  }
}

/**
 * Types that no operation can reach: not the type of any field, argument or input field reachable from the root
 * types, nor a member or implementation of a reachable union or interface. Argument types of directives defined
 * in the schema count as used.
 */
function unusedTypes(index: SdlIndex): LintProblem[] {
  const members = new Map<string, string[]>();
  for (const element of index.elements.values()) {
    if (element.kind === 'type') continue;
    const owner = element.kind.startsWith('directive') ? '@' : element.coordinate.split('.')[0]!;
    if (element.typeName) members.set(owner, [...(members.get(owner) ?? []), element.typeName]);
  }
  const implementations = new Map<string, string[]>();
  for (const [type, implemented] of index.interfaces) {
    for (const name of implemented) implementations.set(name, [...(implementations.get(name) ?? []), type]);
  }
  const reached = new Set<string>();
  const queue = [...index.rootTypes, ...(members.get('@') ?? [])];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (reached.has(name)) continue;
    reached.add(name);
    queue.push(...(members.get(name) ?? []), ...(index.unionMembers.get(name) ?? []), ...(index.interfaces.get(name) ?? []), ...(implementations.get(name) ?? []));
  }
  return [...index.elements.values()]
    .filter((element) => element.kind === 'type' && !reached.has(element.name) && !isMachinery(element))
    .map((element) => ({
      rule: 'unused-type' as const,
      coordinate: element.coordinate,
      line: element.line,
      message: `${typeLabel(element)} ${element.name} is not used by any field or argument reachable from ${[...index.rootTypes].filter((t) => index.elements.has(t)).join(' or ')}: remove it, use it, or mark it @inaccessible in the subgraphs`,
    }));
}
