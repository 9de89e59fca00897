import { describe, expect, it } from 'vitest';
import type { Replay } from './capture.js';
import { minimalReplay, replayWork } from './lower-bound.js';

const url = 'http://127.0.0.1:1/graphql';
const entities = (type: string) => `query($representations:[_Any!]!){_entities(representations:$representations){...on ${type}{name}}}`;
const fetch = (service: string, query: string, variables: Record<string, unknown> = {}): Replay => ({
  kind: 'fetch',
  service,
  url,
  body: JSON.stringify({ query, variables }),
});
const body = (replay: Replay) => JSON.parse((replay as Extract<Replay, { kind: 'fetch' }>).body) as { query: string; variables: Record<string, unknown> };

describe('minimalReplay', () => {
  it('sends each distinct representation of a fetch once', () => {
    const region = (code: string) => ({ __typename: 'Region', code });
    const minimal = minimalReplay(fetch('regions', entities('Region'), { representations: [region('FR1'), region('DE3'), region('FR1')] }));
    expect(body(minimal).variables.representations).toEqual([region('FR1'), region('DE3')]);
    expect(replayWork(minimal)).toEqual({ requests: 1, representations: 2 });
  });

  it('merges the fetches of a Parallel node to one subgraph, and leaves sequences and other subgraphs alone', () => {
    const plan: Replay = {
      kind: 'sequence',
      nodes: [
        fetch('talents', '{ talents { nodes { id } } }'),
        {
          kind: 'parallel',
          nodes: [
            { kind: 'sequence', nodes: [fetch('trainings', entities('Talent'), { representations: [1] }), fetch('regions', entities('Region'), { representations: [2] })] },
            fetch('regions', entities('Region'), { representations: [3] }),
            fetch('regions', entities('Organisation'), { representations: [4] }),
          ],
        },
      ],
    };
    const minimal = minimalReplay(plan);
    expect(replayWork(plan)).toEqual({ requests: 5, representations: 4 });
    expect(replayWork(minimal)).toEqual({ requests: 4, representations: 4 });
    const parallel = (minimal as Exclude<Replay, { kind: 'fetch' }>).nodes[1] as Exclude<Replay, { kind: 'fetch' }>;
    const merged = body(parallel.nodes[0]!);
    expect(merged.variables).toEqual({ _0_representations: [3], _1_representations: [4] });
    expect(merged.query).toContain('_1__entities: _entities(representations: $_1_representations)');
    expect(parallel.nodes[1]!.kind).toBe('sequence');
  });
});
