import {
  Kind,
  type DirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type StringValueNode,
} from 'graphql';

// Every element an SDL defines, by its schema coordinate (`Talent`, `Talent.email`, `Query.talents(first:)`,
// `TalentStatus.ACTIVE`, `@cacheControl`, `@cacheControl(scope:)`), with the line it is written on. The lint walks
// these elements, and every message of the check finds its `file:line` here.

export type ElementKind = 'type' | 'field' | 'argument' | 'input field' | 'enum value' | 'directive' | 'directive argument';

export interface SdlElement {
  coordinate: string;
  kind: ElementKind;
  /** The element's own name: `email` for `Talent.email`, `first` for `Query.talents(first:)`. */
  name: string;
  /** For a type: OBJECT, INTERFACE, UNION, ENUM, INPUT_OBJECT or SCALAR. */
  typeKind?: TypeKind;
  /** The type of a field, argument or input field, unwrapped (`Talent` for `[Talent!]!`). */
  typeName?: string;
  description: string | undefined;
  line: number;
  deprecated: boolean;
  /** Written only as `extend type`: its description lives where the type is defined. */
  extensionOnly: boolean;
  /** Names of the directives applied to it (as written, e.g. `inaccessible`, `key`). */
  directives: string[];
}

export type TypeKind = 'OBJECT' | 'INTERFACE' | 'UNION' | 'ENUM' | 'INPUT_OBJECT' | 'SCALAR';

export interface SdlIndex {
  elements: Map<string, SdlElement>;
  /** The root operation types: from `schema { ... }` when written, otherwise Query, Mutation and Subscription. */
  rootTypes: Set<string>;
  /** Member types of each union, interfaces implemented by each object or interface (for reachability). */
  unionMembers: Map<string, string[]>;
  interfaces: Map<string, string[]>;
}

export function indexSdl(document: DocumentNode): SdlIndex {
  const elements = new Map<string, SdlElement>();
  const unionMembers = new Map<string, string[]>();
  const interfaces = new Map<string, string[]>();
  const roots = new Map<string, string>();

  const add = (element: SdlElement) => {
    const existing = elements.get(element.coordinate);
    // A type written both as a definition and as extensions: keep the definition's line and description.
    if (!existing) elements.set(element.coordinate, element);
    else if (existing.extensionOnly && !element.extensionOnly) elements.set(element.coordinate, element);
  };
  const addInputValues = (parent: string, kind: 'argument' | 'input field' | 'directive argument', values: readonly InputValueDefinitionNode[] | undefined, asArgument: boolean) => {
    for (const value of values ?? []) {
      add({
        coordinate: asArgument ? `${parent}(${value.name.value}:)` : `${parent}.${value.name.value}`,
        kind,
        name: value.name.value,
        typeName: namedType(value.type),
        description: text(value.description),
        line: lineOf(value.name),
        deprecated: hasDirective(value.directives, 'deprecated'),
        extensionOnly: false,
        directives: directiveNames(value.directives),
      });
    }
  };
  const addFields = (typeName: string, fields: readonly FieldDefinitionNode[] | undefined) => {
    for (const field of fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      add({
        coordinate,
        kind: 'field',
        name: field.name.value,
        typeName: namedType(field.type),
        description: text(field.description),
        line: lineOf(field.name),
        deprecated: hasDirective(field.directives, 'deprecated'),
        extensionOnly: false,
        directives: directiveNames(field.directives),
      });
      addInputValues(coordinate, 'argument', field.arguments, true);
    }
  };

  for (const definition of document.definitions) {
    if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) {
      for (const operation of definition.operationTypes ?? []) roots.set(operation.operation, operation.type.name.value);
      continue;
    }
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) {
      const coordinate = `@${definition.name.value}`;
      add({
        coordinate,
        kind: 'directive',
        name: definition.name.value,
        description: text(definition.description),
        line: lineOf(definition.name),
        deprecated: false,
        extensionOnly: false,
        directives: [],
      });
      addInputValues(coordinate, 'directive argument', definition.arguments, true);
      continue;
    }
    const typeKind = typeKindOf(definition);
    if (!typeKind || !('name' in definition) || !definition.name) continue;
    const name = definition.name.value;
    const extension = definition.kind.endsWith('Extension');
    add({
      coordinate: name,
      kind: 'type',
      name,
      typeKind,
      description: 'description' in definition ? text(definition.description) : undefined,
      line: lineOf(definition.name),
      deprecated: false,
      extensionOnly: extension,
      directives: 'directives' in definition ? directiveNames(definition.directives) : [],
    });
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        addFields(name, definition.fields);
        interfaces.set(name, [...(interfaces.get(name) ?? []), ...(definition.interfaces ?? []).map((i) => i.name.value)]);
        break;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        addInputValues(name, 'input field', definition.fields, false);
        break;
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        for (const value of definition.values ?? []) {
          add({
            coordinate: `${name}.${value.name.value}`,
            kind: 'enum value',
            name: value.name.value,
            description: text(value.description),
            line: lineOf(value.name),
            deprecated: hasDirective(value.directives, 'deprecated'),
            extensionOnly: false,
            directives: directiveNames(value.directives),
          });
        }
        break;
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.UNION_TYPE_EXTENSION:
        unionMembers.set(name, [...(unionMembers.get(name) ?? []), ...(definition.types ?? []).map((t) => t.name.value)]);
        break;
      default:
        break;
    }
  }

  const rootTypes = new Set(roots.size > 0 ? roots.values() : ['Query', 'Mutation', 'Subscription']);
  return { elements, rootTypes, unionMembers, interfaces };
}

/** The names a coordinate is made of: `Query.talents(first:)` is type Query, field talents, argument first. */
export interface CoordinateParts {
  typeName?: string;
  /** A field, an input field or an enum value. */
  memberName?: string;
  argumentName?: string;
  directiveName?: string;
}

export function coordinateParts(coordinate: string): CoordinateParts {
  const directive = /^@([^(]+)(?:\(([^:]+):\))?$/.exec(coordinate);
  if (directive) return { directiveName: directive[1]!, ...(directive[2] ? { argumentName: directive[2] } : {}) };
  const member = /^([^.]+)(?:\.([^(]+)(?:\(([^:]+):\))?)?$/.exec(coordinate);
  if (!member) return {};
  return {
    typeName: member[1]!,
    ...(member[2] ? { memberName: member[2] } : {}),
    ...(member[3] ? { argumentName: member[3] } : {}),
  };
}

/**
 * The coordinate of the element a graphql-inspector change path is about. Paths are dot-separated: `Type`,
 * `Type.field`, `Type.field.argument`, `Enum.VALUE`, `@directive`, `@directive.argument`; a directive applied to an
 * element follows it (`Talent.email.@policy`, `.@link.import` on the schema itself, which has no coordinate).
 */
export function coordinateOfPath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const segments = path.split('.');
  if (segments[0]!.startsWith('@')) {
    const argument = segments[1];
    return argument && !argument.startsWith('@') ? `${segments[0]}(${argument}:)` : segments[0];
  }
  const cut = segments.findIndex((segment) => segment.startsWith('@'));
  const element = cut === -1 ? segments : segments.slice(0, cut);
  if (element.length === 0 || element[0] === '') return undefined;
  const [type, member, argument] = element;
  if (argument !== undefined) return `${type}.${member}(${argument}:)`;
  return member !== undefined ? `${type}.${member}` : type;
}

function typeKindOf(definition: DefinitionNode): TypeKind | undefined {
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
      return 'OBJECT';
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
      return 'INTERFACE';
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
      return 'UNION';
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
      return 'ENUM';
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      return 'INPUT_OBJECT';
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
      return 'SCALAR';
    default:
      return undefined;
  }
}

type TypeNode = InputValueDefinitionNode['type'];

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

const text = (description: StringValueNode | undefined) => description?.value;

/** The line of an element's name (not of the description above it), which is where an editor should jump. */
const lineOf = (node: { loc?: { startToken: { line: number } } | undefined }) => node.loc?.startToken.line ?? 0;

const directiveNames = (directives: readonly DirectiveNode[] | undefined) => (directives ?? []).map((d) => d.name.value);

const hasDirective = (directives: readonly DirectiveNode[] | undefined, name: string) => directiveNames(directives).includes(name);
