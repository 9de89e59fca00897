import pg from 'pg';
import { InternalTokenSigner, type Identity } from '@talent-hub/platform/identity';
import { summarise, type Window } from './load.js';

// Queries measured at the subgraph that answers them, not through a gateway: the talents subgraph's
// `mentorMatches` and `networkRetention`, the two aggregates of the Talent Hub's own work. One connection, one
// request after another (latency, not throughput), each as a partner's editor would send it through the gateway:
// with an internal identity token of the organisation (cemr), which mentorMatches needs to read the mentee.
// networkRetention keeps its counts until an affiliation changes: `networkRetention` asks one question again and
// again (what a dashboard does), `networkRetentionFirst` a new one each time (another `asOf` day), which counts.

export const subgraphQueryNames = ['mentorMatches', 'networkRetention', 'networkRetentionFirst'] as const;
export type SubgraphQueryName = (typeof subgraphQueryNames)[number];

export type SubgraphQueryResults = Partial<Record<SubgraphQueryName, Window & { variants: number; sample: unknown }>>;

const MATCHES = `query Matches($menteeId: ID!) { mentorMatches(menteeId: $menteeId, first: 10) {
  mentor { id } score reasons { matchedSkills { uri } missingSkills { uri } commonLanguages sameRegion sameCountry sameTimeZone remainingCapacity } } }`;
const RETENTION = `query Retention($from: String!, $to: String!, $asOf: Date!) {
  networkRetention(networkId: "talent-hub", fromQuarter: $from, toQuarter: $to, asOf: $asOf) {
    cohorts { quarter joiners suppressed retained6Months retained12Months retained24Months }
    flows { from { id } to { id } talents suppressed } } }`;

const READER: Identity = { subject: 'bench-editor', organisationId: 'cemr', roles: ['editor'] };

/** Mentees to match: cemr's generated talents with learning goals (at most 50), read from its database. */
async function menteeIds(talentsDatabaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: talentsDatabaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `select t.id from talents t
       where t.organisation_id = 'cemr' and t.status = 'ACTIVE'
         and exists (select 1 from talent_learning_goals g where g.talent_id = t.id)
       order by t.id limit 50`,
    );
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

/**
 * Sends each query for `warmupS`, then measures it for `durationS`; throws on the first error answer (a benchmark of
 * refusals measures nothing). The generated data holds affiliations up to 2025-06-30: the 8 quarters before it.
 */
export async function measureSubgraphQueries(options: {
  queries: readonly SubgraphQueryName[];
  talentsUrl: string;
  talentsDatabaseUrl: string;
  internalTokenSecret: string;
  warmupS: number;
  durationS: number;
  log: (message: string) => void;
}): Promise<SubgraphQueryResults> {
  const mentees = options.queries.includes('mentorMatches') ? await menteeIds(options.talentsDatabaseUrl) : ['-'];
  if (mentees.length === 0) throw new Error('The talents database holds no mentee with learning goals: regenerate the data set (--regenerate).');
  // The default span of 8 quarters, ending where the generated data does.
  const retention = (asOf: string) => JSON.stringify({ query: RETENTION, variables: { from: '2023-Q3', to: '2025-Q2', asOf } });
  const dayAfter = (days: number) => new Date(Date.UTC(2025, 5, 30 + days)).toISOString().slice(0, 10);
  const bodies: Record<SubgraphQueryName, { variants: number; body: (i: number) => string }> = {
    mentorMatches: { variants: mentees.length, body: (i) => JSON.stringify({ query: MATCHES, variables: { menteeId: mentees[i % mentees.length] } }) },
    networkRetention: { variants: 1, body: () => retention('2025-06-30') },
    // A day never asked before, each time (the warm-up included): every request counts.
    networkRetentionFirst: { variants: Infinity, body: (i) => retention(dayAfter(1 + i)) },
  };
  // An internal token is signed for one request (subgraph, request id, body), as the gateway signs each fetch; signed
  // outside the timed part.
  const signer = new InternalTokenSigner(options.internalTokenSecret);
  const headers = (body: string) => ({ 'content-type': 'application/json', ...signer.headers(READER, { audience: 'talents', body }) });
  const results = {} as SubgraphQueryResults;
  for (const name of options.queries) {
    const latencies: number[] = [];
    let sample: unknown;
    let i = 0;
    const run = async (seconds: number, record: boolean) => {
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        const body = bodies[name].body(i++);
        const h = headers(body);
        const started = performance.now();
        const response = await fetch(options.talentsUrl, { method: 'POST', headers: h, body });
        const answer = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
        const elapsed = performance.now() - started;
        if (!response.ok || answer.errors?.length) throw new Error(`${name}: HTTP ${response.status} ${answer.errors?.[0]?.message ?? ''}`);
        sample ??= answer.data;
        if (record) latencies.push(elapsed);
      }
    };
    await run(options.warmupS, false);
    const opened = performance.now();
    await run(options.durationS, true);
    const window = summarise({ requests: latencies.length, errors: 0, elapsedMs: performance.now() - opened, latencies: Float64Array.from(latencies) });
    const variants = Math.min(bodies[name].variants, i);
    results[name] = { ...window, variants, sample };
    options.log(`talents subgraph ${name}: p50 ${window.p50Ms.toFixed(2)} ms, p99 ${window.p99Ms.toFixed(2)} ms over ${window.requests} requests (${variants} variants)`);
  }
  return results;
}
