import {
  Kind,
  parse,
  print,
  typeFromAST,
  visit,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';

// Reads the GraphQL the project README shows, so that a test can hold it against the example operations: the
// README writes operations anonymously with literal values (what one types into the explorer or curl), the
// examples are named operations with variables (what a client sends). An example matches the README when, with
// the README's values inlined as literals and its name dropped, it prints the same.

/** An operation the README shows, with the answer it shows for it, if any. */
export interface ReadmeOperation {
  /** The operation as printed by graphql-js (so whitespace and layout do not matter). */
  printed: string;
  /** The answer the README shows right after it: a ```json block, or the `# ...` lines after a curl command. */
  answer?: unknown;
  /** Line of the README where the operation starts, for messages. */
  line: number;
  /** How the README shows it: a graphql block, a curl body, or an inline snippet. */
  form: 'graphql block' | 'curl body' | 'inline';
}

/** The paragraph whose inline snippets are operations (root fields, without the surrounding braces). */
export const seedFactsParagraph = 'More seed facts to try:';

/** Every operation of the README: its ```graphql blocks, the queries of its curl commands, the seed-fact snippets. */
export function readmeOperations(markdown: string): ReadmeOperation[] {
  const operations: ReadmeOperation[] = [];
  const lineOf = (index: number) => markdown.slice(0, index).split('\n').length;
  const blocks = [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1]!,
    body: m[2]!,
    start: m.index,
    end: m.index + m[0].length,
  }));
  blocks.forEach((block, i) => {
    if (block.lang === 'graphql') {
      // An answer is a ```json block that follows with nothing but blank lines between.
      const next = blocks[i + 1];
      const adjacent = next?.lang === 'json' && markdown.slice(block.end, next.start).trim() === '';
      operations.push({
        printed: normalise(block.body),
        ...(adjacent ? { answer: JSON.parse(next.body) } : {}),
        line: lineOf(block.start) + 1,
        form: 'graphql block',
      });
    }
    if (block.lang === 'sh') {
      const lines = block.body.split('\n');
      lines.forEach((text, j) => {
        const payload = /-d '([^']*)'/.exec(text);
        if (!payload) return;
        const query = (JSON.parse(payload[1]!) as { query?: unknown }).query;
        if (typeof query !== 'string') throw new Error(`README line ${lineOf(block.start) + 1 + j}: a curl body without a query`);
        // The answer: the comment lines right after the command, a JSON text wrapped over several lines.
        const comments: string[] = [];
        for (const after of lines.slice(j + 1)) {
          if (!after.startsWith('#')) break;
          comments.push(after.replace(/^#\s*/, '').trim());
        }
        operations.push({
          printed: normalise(query),
          ...(comments.length > 0 ? { answer: JSON.parse(comments.join(' ')) } : {}),
          line: lineOf(block.start) + 1 + j,
          form: 'curl body',
        });
      });
    }
  });
  const start = markdown.indexOf(seedFactsParagraph);
  if (start >= 0) {
    const end = markdown.indexOf('\n\n', start);
    const paragraph = markdown.slice(start, end < 0 ? undefined : end);
    for (const snippet of paragraph.matchAll(/`([^`]*\{[^`]*)`/g)) {
      operations.push({ printed: normalise(`{ ${snippet[1]} }`), line: lineOf(start + snippet.index), form: 'inline' });
    }
  }
  return operations;
}

/** The mutations of the README's tables, as `name(arguments)`: createEvent -> ['input']. */
export function readmeMutationSignatures(markdown: string): Map<string, string[]> {
  const signatures = new Map<string, string[]>();
  for (const row of markdown.matchAll(/^\| \w+ \| (.+?) \| .+ \|$/gm)) {
    for (const call of row[1]!.matchAll(/`(\w+)\(([^)]*)\)`/g)) {
      const args = call[2]!.split(',').map((a) => a.trim()).filter((a) => a && a !== '...');
      signatures.set(call[1]!, args);
    }
  }
  return signatures;
}

/** GraphQL text as graphql-js prints it: the same operation, whatever its whitespace and line breaks. */
export const normalise = (text: string) => print(parse(text));

/**
 * An example operation as the README writes it: anonymous, without variable definitions, each variable replaced by
 * the README's value for it, and each argument or input field whose variable the README leaves out dropped (the
 * same request: an absent variable without default means an absent argument).
 */
export function readmeForm(document: DocumentNode, values: Record<string, unknown>, schema: GraphQLSchema): string {
  const types = new Map<string, GraphQLInputType>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, variable.type);
      if (!type) throw new Error(`Variable $${variable.variable.name.value} has a type the schema does not know`);
      types.set(variable.variable.name.value, type as GraphQLInputType);
    }
  }
  const unused = Object.keys(values).filter((name) => !types.has(name));
  if (unused.length > 0) throw new Error(`Values for variables the operation does not declare: ${unused.join(', ')}`);
  const inline = (name: string): ValueNode | null => {
    if (!(name in values) || values[name] === undefined) return null;
    return literal(values[name], types.get(name)!);
  };
  const replaced = visit(document, {
    OperationDefinition: {
      leave: (node) => ({ ...node, name: undefined, variableDefinitions: [] }),
    },
    // The definitions go with the operation's name (above); their variables are not uses.
    VariableDefinition: () => false,
    Argument: (node) => (node.value.kind === Kind.VARIABLE ? withValue(node, inline(node.value.name.value)) : undefined),
    ObjectField: (node) => (node.value.kind === Kind.VARIABLE ? withValue(node, inline(node.value.name.value)) : undefined),
    Variable: (node) => {
      // Anywhere else (a list item) a variable cannot simply be left out.
      const value = inline(node.name.value);
      if (!value) throw new Error(`$${node.name.value} is used in a list but the README gives no value for it`);
      return value;
    },
  });
  return print(replaced);
}

// The argument or input field with its value replaced, or null (removed) when the value is absent.
const withValue = <T extends { value: ValueNode }>(node: T, value: ValueNode | null): T | null => (value ? { ...node, value } : null);

/**
 * A JSON value as a GraphQL literal of `type`. Unlike graphql-js's astFromValue, input object fields keep the
 * order of the value's keys (as the README writes them), not the schema's.
 */
function literal(value: unknown, type: GraphQLInputType): ValueNode {
  if (isNonNullType(type)) return literal(value, type.ofType);
  if (value === null) return { kind: Kind.NULL };
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    return { kind: Kind.LIST, values: items.map((item) => literal(item, type.ofType)) };
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    return {
      kind: Kind.OBJECT,
      fields: Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([name, v]) => {
          const field = fields[name];
          if (!field) throw new Error(`${type.name} has no field ${name}`);
          return { kind: Kind.OBJECT_FIELD, name: { kind: Kind.NAME, value: name }, value: literal(v, field.type) };
        }),
    };
  }
  if (isEnumType(type)) return { kind: Kind.ENUM, value: String(value) };
  if (typeof value === 'string') return { kind: Kind.STRING, value };
  if (typeof value === 'boolean') return { kind: Kind.BOOLEAN, value };
  if (typeof value === 'number') return { kind: Number.isInteger(value) ? Kind.INT : Kind.FLOAT, value: String(value) };
  throw new Error(`No GraphQL literal for ${JSON.stringify(value)}`);
}
