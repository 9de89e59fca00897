import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { caller, errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { TrainingsDatabase } from './db/types.js';
import { trainingsSubgraph } from './server.js';

let subgraph: TestSubgraph<TrainingsDatabase>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(trainingsSubgraph);
});
afterAll(() => subgraph.stop());

describe('the EWRC 2024 EU-Belong session', () => {
  it('is at the right time in Brussels, in the right place, organised by AER', async () => {
    const { data, errors } = await subgraph.query(`{ event(id: "ewrc-2024-eu-belong") {
      title kind series startsAt endsAt timeZone venue { name room city } region { code } organiser { id } programme { id } } }`);
    expect(errors).toBeUndefined();
    expect(data.event).toEqual({
      title: 'Skills: (EU)Belong here: How intercultural strategies can boost talent attraction and retention',
      kind: 'WORKSHOP',
      series: 'European Week of Regions and Cities 2024',
      startsAt: '2024-10-09T14:30:00+02:00',
      endsAt: '2024-10-09T15:30:00+02:00',
      timeZone: 'Europe/Brussels',
      venue: { name: 'Albert Borschette Conference Centre', room: 'AB-4A', city: 'Brussels' },
      region: { code: 'BE10' },
      organiser: { id: 'aer' },
      programme: { id: 'eu-belong' },
    });
  });

  it('has its agenda in order, with speakers, roles and affiliations', async () => {
    const { data } = await subgraph.query(`{ event(id: "ewrc-2024-eu-belong") {
      agenda { startsAt endsAt title speakers { name role affiliation } } speakers { name } } }`);
    const agenda = data.event.agenda;
    expect(agenda.map((a: any) => [a.startsAt.slice(11, 16), a.endsAt.slice(11, 16)])).toEqual([
      ['14:30', '14:40'], ['14:40', '15:10'], ['15:10', '15:25'], ['15:25', '15:30'],
    ]);
    expect(agenda[0].speakers).toEqual([{ name: 'Emanuela Pisanò', role: 'European Project Manager', affiliation: 'Assembly of European Regions' }]);
    expect(agenda[1].speakers).toEqual([
      { name: 'Lara Porciatti', role: 'Project manager', affiliation: 'ART-ER Attrattività Ricerca Territorio' },
      { name: 'Guadalupe Moreno Iturriaga', role: 'Deputy Director General of Migration and Asylum', affiliation: 'Ministry of Social Rights and Inclusion' },
      { name: 'Andrew Mc Nulty', role: 'Arts & Cultural Diversity Officer', affiliation: 'Donegal County Council' },
    ]);
    expect(agenda[2]).toMatchObject({ title: 'Q&A', speakers: [] });
    expect(agenda[3].speakers.map((s: any) => s.name)).toEqual(['Emanuela Pisanò']);
    expect(data.event.speakers.map((s: any) => s.name)).toEqual(['Emanuela Pisanò', 'Lara Porciatti', 'Guadalupe Moreno Iturriaga', 'Andrew Mc Nulty']);
  });
});

describe('Query.events', () => {
  it('pages in start order, with a date range, and refuses bad arguments', async () => {
    const all: string[] = [];
    let after: string | null = null;
    do {
      const { data, errors }: any = await subgraph.query('query ($after: String) { events(first: 7, after: $after) { nodes { startsAt } pageInfo { hasNextPage endCursor } } }', { after });
      expect(errors).toBeUndefined();
      all.push(...data.events.nodes.map((n: any) => new Date(n.startsAt).toISOString()));
      after = data.events.pageInfo.hasNextPage ? data.events.pageInfo.endCursor : null;
    } while (after);
    // The EWRC session, 24 synthetic events of 2024-2025 and 17 upcoming synthetic trainings (seed/upcoming.ts).
    expect(all).toHaveLength(42);
    expect(all).toEqual([...all].sort());

    const { data } = await subgraph.query('{ events(startsFrom: "2024-10-01T00:00:00+02:00", startsBefore: "2024-11-01T00:00:00+01:00", first: 50) { nodes { id startsAt } } }');
    expect(data.events.nodes.map((e: any) => e.id)).toContain('ewrc-2024-eu-belong');
    for (const e of data.events.nodes) expect(e.startsAt.slice(0, 7)).toBe('2024-10');

    expect(errorCodes(await subgraph.query('{ events(startsFrom: "2025-01-01T00:00:00Z", startsBefore: "2024-01-01T00:00:00Z") { nodes { id } } }'))).toEqual(['BAD_USER_INPUT']);
    const badInstant = await subgraph.query('{ events(startsFrom: "yesterday") { nodes { id } } }');
    expect(errorCodes(badInstant)).toEqual(['BAD_USER_INPUT']);
    expect(badInstant.errors![0]!.message).toContain('DateTime must be a string like "2024-10-09T14:30:00+02:00"');
    expect(errorCodes(await subgraph.query('{ event(id: "EWRC 2024") { id } }'))).toEqual(['BAD_USER_INPUT']);
    expect((await subgraph.query('{ event(id: "ewrc-1999") { id } }')).data).toEqual({ event: null });
  });

  it('never seats more registrations than capacity', async () => {
    // Each organiser reads every registration of its own events (others read only their own talents').
    const nodes: any[] = [];
    for (const organiser of ['aer', 'cemr', 'eurocities', 'uclg', 'art-er']) {
      const { data: page } = await subgraph.query(`{ events(organiserId: "${organiser}", first: 50) { nodes { capacity seatsLeft registrations(first: 100) { nodes { status } } } } }`,
        undefined, caller(organiser, 'viewer'));
      nodes.push(...page.events.nodes);
    }
    const data = { events: { nodes } };
    for (const e of data.events.nodes.filter((n: any) => n.capacity !== null)) {
      const seated = e.registrations.nodes.filter((r: any) => ['REGISTERED', 'ATTENDED', 'COMPLETED'].includes(r.status)).length;
      expect(seated).toBeLessThanOrEqual(e.capacity);
      expect(e.seatsLeft).toBe(e.capacity - seated);
    }
  });
});

describe('Query.events filters', () => {
  const FIELDS = 'id kind attendanceMode startsAt region { code } organiser { id } programme { id }';

  it('keep exactly the matching events, combined, with a matching totalCount, across pages', async () => {
    const { data } = await subgraph.query(`{ events(first: 500) { nodes { ${FIELDS} } } }`);
    const all: any[] = data.events.nodes;
    const cases: Record<string, unknown>[] = [
      { kind: 'WORKSHOP' },
      { attendanceMode: 'HYBRID' },
      { attendanceMode: 'ONLINE' },
      { regionCode: 'ITH5' },
      { regionCode: 'BE' },
      { regionCode: 'BE10' },
      { regionCode: 'ITH55' },
      { regionCode: 'PT' },
      { organiserId: 'art-er' },
      { programmeId: 'talent-hub' },
      { organiserId: 'aer', programmeId: 'eu-belong' },
      { kind: 'TRAINING', attendanceMode: 'ONSITE', regionCode: 'IT', organiserId: 'art-er', programmeId: 'emilia-romagna-talents',
        startsFrom: '2024-01-01T00:00:00Z', startsBefore: '2026-01-01T00:00:00Z' },
      { regionCode: 'BE', startsFrom: '2024-10-09T12:30:00Z', startsBefore: '2024-10-09T12:30:00.001Z' },
    ];
    for (const filter of cases) {
      const expected = all.filter((e) =>
        Object.entries(filter).every(([name, value]) => {
          switch (name) {
            case 'kind': return e.kind === value;
            case 'attendanceMode': return e.attendanceMode === value;
            case 'regionCode': return (e.region?.code ?? '').startsWith(value as string);
            case 'organiserId': return e.organiser.id === value;
            case 'programmeId': return e.programme?.id === value;
            case 'startsFrom': return Date.parse(e.startsAt) >= Date.parse(value as string);
            case 'startsBefore': return Date.parse(e.startsAt) < Date.parse(value as string);
            default: throw new Error(name);
          }
        }),
      ).map((e) => e.id);
      // Page through two at a time: the cursor keeps the filter's list.
      const ids: string[] = [];
      let after: string | null = null;
      let totalCount = -1;
      do {
        const result: any = await subgraph.query(
          `query ($kind: EventKind, $attendanceMode: AttendanceMode, $regionCode: ID, $organiserId: ID, $programmeId: ID,
            $startsFrom: DateTime, $startsBefore: DateTime, $after: String) {
            events(kind: $kind, attendanceMode: $attendanceMode, regionCode: $regionCode, organiserId: $organiserId,
              programmeId: $programmeId, startsFrom: $startsFrom, startsBefore: $startsBefore, first: 2, after: $after) {
              totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
          { ...filter, after },
        );
        expect(result.errors, JSON.stringify(filter)).toBeUndefined();
        ids.push(...result.data.events.nodes.map((n: any) => n.id));
        totalCount = result.data.events.totalCount;
        after = result.data.events.pageInfo.hasNextPage ? result.data.events.pageInfo.endCursor : null;
      } while (after);
      expect(ids, JSON.stringify(filter)).toEqual(expected);
      expect(totalCount, JSON.stringify(filter)).toBe(expected.length);
    }
    // The cases are not vacuous.
    expect(all.filter((e) => e.attendanceMode === 'HYBRID').length).toBeGreaterThan(0);
    expect(all.filter((e) => (e.region?.code ?? '').startsWith('ITH5')).length).toBeGreaterThan(2);
  });

  it('refuse malformed values with BAD_USER_INPUT naming the argument', async () => {
    const cases: [string, string, RegExp][] = [
      ['{ events(regionCode: "Emilia") { nodes { id } } }', 'regionCode', /NUTS 2024 code/],
      ['{ events(regionCode: "ith5") { nodes { id } } }', 'regionCode', /NUTS 2024 code/],
      ['{ events(organiserId: "AER") { nodes { id } } }', 'organiserId', /lowercase slug/],
      ['{ events(programmeId: "eu belong") { nodes { id } } }', 'programmeId', /lowercase slug/],
      ['{ events(startsFrom: "2024-10-09T14:30:00+02:00", startsBefore: "2024-10-09T12:30:00Z") { nodes { id } } }', 'startsFrom',
        /"startsFrom" must be earlier than "startsBefore"/],
      ['{ events(first: 501) { nodes { id } } }', 'first', /from 0 to 500/],
    ];
    for (const [query, argument, message] of cases) {
      const result = await subgraph.query(query);
      expect(errorCodes(result), query).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.argumentName, query).toBe(argument);
      expect(result.errors![0]!.message, query).toMatch(message);
    }
    expect(errorCodes(await subgraph.query('{ events(attendanceMode: SOMETIMES) { nodes { id } } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('_entities', () => {
  it('resolves Event by key and adds events and registrations to the other subgraphs\' entities', async () => {
    const { data, errors } = await subgraph.query(`query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Event { id } 
      ... on Region { events { nodes { region { code } } } }
      ... on Organisation { events { nodes { organiser { id } } } }
      ... on Programme { events { nodes { programme { id } } } }
      ... on Talent { registrations { nodes { talent { id } event { id } } } } } }`, {
      r: [
        { __typename: 'Event', id: 'ewrc-2024-eu-belong' },
        { __typename: 'Event', id: 'nothing-here' },
        { __typename: 'Region', code: 'BE' },
        { __typename: 'Organisation', id: 'aer' },
        { __typename: 'Programme', id: 'talent-hub' },
        { __typename: 'Talent', id: syntheticTalentId(7), personalDataReadable: true },
        { __typename: 'Talent', id: 'not-a-uuid', personalDataReadable: true },
      ],
    }, caller('cemr', 'viewer'));
    expect(errors).toBeUndefined();
    const [event, missing, region, organisation, programme, talent, badTalent] = data._entities;
    expect(event).toEqual({ id: 'ewrc-2024-eu-belong' });
    expect(missing).toBeNull();
    expect(region.events.nodes.length).toBeGreaterThan(0);
    expect(region.events.nodes.every((e: any) => e.region.code.startsWith('BE'))).toBe(true);
    expect(organisation.events.nodes.every((e: any) => e.organiser.id === 'aer')).toBe(true);
    expect(organisation.events.nodes.length).toBeGreaterThan(1);
    expect(programme.events.nodes.every((e: any) => e.programme.id === 'talent-hub')).toBe(true);
    expect(talent.registrations.nodes.every((r: any) => r.talent.id === syntheticTalentId(7))).toBe(true);
    expect(badTalent.registrations.nodes).toEqual([]);
  });

  it('costs the same statements for 150 talents\' registrations and events as for 3', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Talent { registrations(first: 10) {
      nodes { status event { id startsAt seatsLeft agenda { title } } } } } } }`;
    const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Talent', id: syntheticTalentId(i), personalDataReadable: true }));
    const few = await subgraph.countStatements(query, { r: reps(3) }, caller('cemr', 'viewer'));
    const many = await subgraph.countStatements(query, { r: reps(150) }, caller('cemr', 'viewer'));
    expect(many.result.errors).toBeUndefined();
    expect(many.statements).toBe(few.statements);
    expect(many.statements).toBe(5); // registrations, events, seats taken, agenda items, speakers
  });
});
