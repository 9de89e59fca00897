import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { readmeVariables } from '@talent-hub/examples/readme-variables';

// The README's example operations, as ready-made tabs. Read at build time: Vite inlines every
// examples/operations/*.graphql as text, so the tabs are the same files the typed client, the trusted documents
// manifest and the end-to-end tests use, and a new example appears in the explorer at the next build. Their values
// are the README's (examples/readme-variables.ts, which test/examples.test.ts checks against the README).

export interface ExampleTab {
  /** The operation's name, as GraphiQL titles the tab. */
  name: string;
  /** The file's text, its explaining comment included. */
  query: string;
  /** JSON for the variables editor: the README's values, or `null` for each variable the README gives none. */
  variables: string;
}

const exampleFiles = import.meta.glob<string>('../../examples/operations/*.graphql', { query: '?raw', import: 'default', eager: true });
const valuesByOperation: Record<string, Record<string, unknown>> = readmeVariables;

/** The example tabs from `files` (path -> text), in the README's order, then the others by name. */
export function exampleTabs(files: Record<string, string> = exampleFiles, values = valuesByOperation): ExampleTab[] {
  const tabs = Object.entries(files).map(([file, query]) => tabOf(file, query, values));
  const order = Object.keys(values);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return tabs.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

function tabOf(file: string, query: string, values: Record<string, Record<string, unknown>>): ExampleTab {
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    throw new Error(`${file}: not a GraphQL document: ${(error as Error).message}`);
  }
  const operation = operations[0];
  if (operations.length !== 1 || !operation?.name) throw new Error(`${file}: must hold exactly one named operation`);
  const name = operation.name.value;
  const declared = (operation.variableDefinitions ?? []).map((v) => v.variable.name.value);
  const given = values[name];
  // Without README values, each declared variable is listed as null, so the user sees what to fill in.
  const variables = given ?? Object.fromEntries(declared.map((variable) => [variable, null]));
  return { name, query, variables: declared.length === 0 ? '' : JSON.stringify(variables, null, 2) };
}
