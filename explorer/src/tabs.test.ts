import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeVariables } from '@talent-hub/examples/readme-variables';
import { exampleTabs } from './tabs.js';

const operationsFolder = path.join(import.meta.dirname, '..', '..', 'examples', 'operations');
const operationFiles = readdirSync(operationsFolder).filter((file) => file.endsWith('.graphql'));

describe('the example tabs (built from examples/operations at build time)', () => {
  const tabs = exampleTabs();

  it('has one tab per example operation file, with the file text as it is', () => {
    expect(operationFiles.length).toBeGreaterThan(10);
    expect(tabs.map((tab) => tab.query).sort()).toEqual(operationFiles.map((file) => readFileSync(path.join(operationsFolder, file), 'utf8')).sort());
  });

  it("comes in the README's order, the README's values in the variables editor", () => {
    expect(tabs.slice(0, Object.keys(readmeVariables).length).map((tab) => tab.name)).toEqual(Object.keys(readmeVariables));
    const first = tabs[0]!;
    expect(first.name).toBe('RegionWithParent');
    expect(JSON.parse(first.variables)).toEqual({ code: 'ITH5' });
  });

  it('lists each variable as null for an operation the README gives no values', () => {
    const register = tabs.find((tab) => tab.name === 'RegisterForEvent');
    expect(register && JSON.parse(register.variables)).toEqual({ eventId: null, talentId: null });
  });

  it('leaves the variables editor empty for an operation without variables', () => {
    expect(exampleTabs({ 'a.graphql': 'query Plain { __typename }' }, {})).toEqual([
      { name: 'Plain', query: 'query Plain { __typename }', variables: '' },
    ]);
  });

  it('refuses a file that is not one named operation, naming the file', () => {
    expect(() => exampleTabs({ 'bad.graphql': 'query {' }, {})).toThrow(/^bad\.graphql: not a GraphQL document/);
    expect(() => exampleTabs({ 'two.graphql': 'query A { a } query B { b }' }, {})).toThrow('two.graphql: must hold exactly one named operation');
    expect(() => exampleTabs({ 'anonymous.graphql': '{ a }' }, {})).toThrow('anonymous.graphql: must hold exactly one named operation');
  });
});
