import { describe, expect, it } from 'vitest';
import { defaultSubgraphUrl, envName, parseRegistry, readSubgraphUrls, subgraphNameProblem, subgraphRegistry, unknownSubgraphVariables } from './registry.js';

const entry = (name: string, port: number) => ({ name, port, owner: 'cemr', description: `The ${name} subgraph.` });
const text = (...entries: unknown[]) => JSON.stringify({ subgraphs: entries });

describe('the subgraph registry', () => {
  it('lists the three subgraphs of this repository with their ports and owners', () => {
    expect(subgraphRegistry().map((e) => [e.name, e.port, e.owner])).toEqual([
      ['talents', 4001, 'cemr'],
      ['trainings', 4002, 'aer'],
      ['regions', 4003, 'emilia-romagna-region'],
    ]);
  });

  it('names variables after the subgraph, hyphens as underscores', () => {
    expect(envName('skills-passport', 'URL')).toBe('SKILLS_PASSPORT_URL');
    expect(envName('talents', 'DATABASE_URL')).toBe('TALENTS_DATABASE_URL');
    expect(defaultSubgraphUrl(entry('badges', 4004))).toBe('http://127.0.0.1:4004/graphql');
  });

  it('refuses names that are malformed or whose variables belong to something else', () => {
    for (const good of ['badges', 'skills-passport']) expect(subgraphNameProblem(good)).toBeUndefined();
    for (const bad of ['Badges', 'badge_s', 'badges-', '-badges', 'a--b', 'b4dges', '', 'x'.repeat(41)]) {
      expect(subgraphNameProblem(bad), bad).toMatch(/not a subgraph name/);
    }
    for (const reserved of ['gateway', 'subgraph', 'redis', 'auth-jwks', 'talents-database']) expect(subgraphNameProblem(reserved), reserved).toMatch(/reserved/);
  });

  it('lists every problem of a malformed file at once, naming the file', () => {
    const problems = () =>
      parseRegistry(
        text(entry('talents', 4001), entry('talents', 4001), { ...entry('x', 4000), owner: 'Not Valid' }, { ...entry('y', 70000), colour: 'red' }, { name: 'z', port: 4005, owner: 'cemr', description: '' }),
        '/repo/subgraphs/registry.json',
      );
    expect(problems).toThrow(/^\/repo\/subgraphs\/registry.json has 7 problem\(s\)/);
    expect(problems).toThrow(/subgraphs\[3\]\.port: must be a whole number/);
    expect(problems).toThrow(/subgraphs\[1\]\.name: "talents" is listed twice/);
    expect(problems).toThrow(/subgraphs\[1\]\.port: 4001 is already the port of talents/);
    expect(problems).toThrow(/subgraphs\[2\]\.port: must be a whole number from 1024 to 65535 other than the gateway's 4000/);
    expect(problems).toThrow(/subgraphs\[2\]\.owner/);
    expect(problems).toThrow(/subgraphs\[3\]: unknown field\(s\) colour/);
    expect(problems).toThrow(/subgraphs\[4\]\.description/);
    expect(() => parseRegistry('{', 'registry.json')).toThrow(/is not valid JSON/);
    expect(() => parseRegistry(text(), 'registry.json')).toThrow(/at least one subgraph/);
  });

  it("gives every subgraph its URL: the environment's, or this machine's at its port", () => {
    const registry = [entry('talents', 4001), entry('skills-passport', 4009)];
    expect(readSubgraphUrls({ SKILLS_PASSPORT_URL: 'https://passport.internal/graphql' }, registry)).toEqual({
      talents: 'http://127.0.0.1:4001/graphql',
      'skills-passport': 'https://passport.internal/graphql',
    });
    expect(() => readSubgraphUrls({ TALENTS_URL: 'ftp://x' }, registry)).toThrow(/TALENTS_URL must start with http: or https:/);
  });

  it('finds <NAME>_URL and <NAME>_TIMEOUT_MS variables that name no subgraph, suggesting the likely one', () => {
    const registry = [entry('talents', 4001), entry('regions', 4003)];
    expect(unknownSubgraphVariables({ TALENTS_URL: 'http://a', REGIONS_TIMEOUT_MS: '100' }, registry)).toEqual([]);
    expect(unknownSubgraphVariables({ TALENT_URL: 'http://a' }, registry)).toEqual([expect.stringMatching(/^TALENT_URL names no subgraph .*; did you mean TALENTS_URL\?$/)]);
    expect(unknownSubgraphVariables({ BADGES_URL: 'http://a', BADGES_TIMEOUT_MS: '5' }, registry)).toEqual([
      expect.stringMatching(/^BADGES_TIMEOUT_MS names no subgraph of subgraphs\/registry.json \(talents, regions\); add the subgraph/),
      expect.stringMatching(/^BADGES_URL names no subgraph/),
    ]);
    // The project's own variables, other software's, and empty values are left alone.
    const others = {
      REDIS_URL: 'redis://x', AUTH_JWKS_URL: 'https://x', TALENTS_DATABASE_URL: 'postgres://x', BADGES_DATABASE_URL: 'postgres://x',
      DATABASE_URL: 'postgres://x', BASE_URL: '/', GITHUB_SERVER_URL: 'https://github.com', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x',
      SUBGRAPH_TIMEOUT_MS: '5000', HEALTH_CHECK_TIMEOUT_MS: '1000', SHUTDOWN_TIMEOUT_MS: '1', TEST_REDIS_URL: 'redis://x', EMPTY_URL: '',
    };
    expect(unknownSubgraphVariables(others, registry)).toEqual([]);
  });
});
