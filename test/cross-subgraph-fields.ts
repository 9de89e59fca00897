import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';

// The fields of the composed graph whose value comes from another subgraph than their parent's, read from the
// supergraph's join directives so that a field added later is found without anyone listing it:
// - `added`: a field a subgraph adds to an entity another subgraph owns (`Talent.registrations` in trainings);
// - `reference`: a field whose value is an entity owned by another subgraph (`Registration.talent`), whose own
//   fields the gateway fetches from that owner.
// When the subgraph named by `from` fails, or the entity is missing, these fields are the ones left null.

export interface CrossSubgraphField {
  /** `Type.field` */
  coordinate: string;
  kind: 'added' | 'reference';
  /** The subgraph (registry name) whose failure leaves the field null. */
  from: string;
  /** The field's type as the supergraph prints it, e.g. `[Organisation]!`. */
  type: string;
}

const argument = (directive: ConstDirectiveNode, name: string): unknown => {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value && 'value' in value ? value.value : undefined;
};
const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));
const printType = (type: TypeNode): string =>
  type.kind === Kind.NAMED_TYPE ? type.name.value : type.kind === Kind.LIST_TYPE ? `[${printType(type.type)}]` : `${printType(type.type)}!`;
const directives = (node: { directives?: readonly ConstDirectiveNode[] }, name: string) => (node.directives ?? []).filter((d) => d.name.value === name);

export function crossSubgraphFields(supergraphSdl: string | DocumentNode): CrossSubgraphField[] {
  const document = typeof supergraphSdl === 'string' ? parse(supergraphSdl) : supergraphSdl;
  // join__Graph enum values carry the subgraph's name: `TALENTS @join__graph(name: "talents", url: ...)`.
  const graphNames = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) graphNames.set(value.name.value, String(argument(directives(value, 'join__graph')[0]!, 'name')));
  }
  const objects = document.definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION);
  const resolvers = (type: ObjectTypeDefinitionNode, field: NonNullable<ObjectTypeDefinitionNode['fields']>[number]): string[] => {
    const joins = directives(field, 'join__field');
    const graphs = joins.length > 0
      ? joins.filter((d) => argument(d, 'external') !== true && argument(d, 'graph') !== undefined).map((d) => String(argument(d, 'graph')))
      : directives(type, 'join__type').map((d) => String(argument(d, 'graph')));
    return graphs.map((g) => graphNames.get(g) ?? g);
  };
  // An entity's owner: the subgraph that resolves most of its fields (the others declare its key and add a few).
  const owners = new Map<string, string>();
  for (const type of objects) {
    if (!directives(type, 'join__type').some((d) => argument(d, 'key') !== undefined)) continue;
    const counts = new Map<string, number>();
    for (const field of type.fields ?? []) for (const graph of resolvers(type, field)) counts.set(graph, (counts.get(graph) ?? 0) + 1);
    owners.set(type.name.value, [...counts].sort((a, b) => b[1] - a[1])[0]![0]);
  }
  const found: CrossSubgraphField[] = [];
  for (const type of objects) {
    const owner = owners.get(type.name.value);
    for (const field of type.fields ?? []) {
      const graphs = resolvers(type, field);
      const coordinate = `${type.name.value}.${field.name.value}`;
      const valueOwner = owners.get(namedType(field.type));
      if (owner && graphs.length > 0 && !graphs.includes(owner)) found.push({ coordinate, kind: 'added', from: graphs[0]!, type: printType(field.type) });
      else if (valueOwner && graphs.some((g) => g !== valueOwner)) found.push({ coordinate, kind: 'reference', from: valueOwner, type: printType(field.type) });
    }
  }
  return found.sort((a, b) => a.coordinate.localeCompare(b.coordinate));
}

/**
 * Whether a null coming from another subgraph stops at the field: the field itself is nullable, or it is a list
 * whose items are (the list keeps the items that did resolve).
 */
export function stopsNullAtField(type: string): boolean {
  return !type.endsWith('!') || /^\[[A-Za-z_]\w*\]!$/.test(type);
}
