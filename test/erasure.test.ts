import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentInternalSecret, internalRequestHeaders } from '@talent-hub/platform/identity';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// Erasure across subgraphs, end to end: after `eraseTalent` through the gateway, nothing about the talent is
// returned anywhere: not by id, not in any list or filter of talents, not among any event's registrations, not by
// an entity lookup at either subgraph; and the trainings database holds no registration of it.

describe.each(storeKinds)('erasure of a talent across subgraphs (%s)', (kind) => {
  let stack: Stack;
  // Registrations are personal data: the lists are read as a user of the talent's organisation (cemr), who reads
  // its talents' registrations in every event.
  let reader: string;
  beforeAll(async () => {
    stack = await startStack(kind);
    reader = await mintToken('cemr', 'viewer');
  });
  afterAll(() => stack?.stop());

  /** Every id in a connection, paged to the end (`$after` in the query). */
  async function allIds(query: string, variables: Record<string, unknown>, pick: (data: any) => any, id = (node: any) => node.id as string) {
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const { body } = await stack.query(query, { ...variables, after }, { token: reader });
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      const connection = pick(body.data);
      ids.push(...connection.nodes.map(id));
      if (!connection.pageInfo.hasNextPage) return ids;
      after = connection.pageInfo.endCursor;
    }
    throw new Error('more than 50 pages');
  }

  it('leaves nothing about the talent in any subgraph, and a second erasure is NOT_FOUND', async () => {
    const { body: found } = await stack.query(`{ talents(first: 60, organisationId: "cemr") { nodes {
      id category organisation { id } residenceRegion { code } skills { skill { uri } }
      registrations(first: 20) { totalCount nodes { event { id } } } } } }`, {}, { token: reader });
    const talent = found.data!.talents.nodes.find((t: any) => t.registrations.totalCount >= 2 && t.skills.length >= 2);
    expect(talent, 'a demo talent with registrations and skills').toBeDefined();
    const { id } = talent;
    const owner = talent.organisation.id;
    const events: string[] = talent.registrations.nodes.map((r: any) => r.event.id);
    const trainingsDb = stack.databases.trainings!.db;
    const registrationsOf = async () =>
      Number((await sql<{ n: number }>`select count(*)::int as n from registrations where talent_id = ${id}`.execute(trainingsDb)).rows[0]!.n);
    expect(await registrationsOf()).toBe(talent.registrations.totalCount);

    // Every list of talents that may hold it: the root list and its filters, regions (the residence and its
    // parents), the owner, its skills; and the registrations of its events.
    const collectLists = async () => {
      const page = (field: string) => `query ($after: String) { ${field} { nodes { id } pageInfo { hasNextPage endCursor } } }`;
      const lists: [string, string[]][] = [
        ['talents', await allIds(page('talents(first: 500, after: $after)'), {}, (d) => d.talents)],
        ['talents by organisation', await allIds(page(`talents(organisationId: "${owner}", first: 500, after: $after)`), {}, (d) => d.talents)],
        ['talents by category', await allIds(page(`talents(filter: { category: ${talent.category} }, first: 500, after: $after)`), {}, (d) => d.talents)],
        ['Organisation.talents', await allIds(`query ($after: String) { organisation(id: "${owner}") { talents(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`, {}, (d) => d.organisation.talents)],
      ];
      const region: string = talent.residenceRegion.code;
      for (const code of [region, region.slice(0, 4), region.slice(0, 2)]) {
        lists.push([`talents in ${code}`, await allIds(page(`talents(regionCode: "${code}", first: 500, after: $after)`), {}, (d) => d.talents)]);
        lists.push([`Region.talents of ${code}`, await allIds(`query ($after: String) { region(code: "${code}") { talents(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`, {}, (d) => d.region.talents)]);
      }
      for (const { skill } of talent.skills) {
        lists.push([`Skill.talents of ${skill.uri}`, await allIds(`query ($after: String) { skill(uri: "${skill.uri}") { talents(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`, {}, (d) => d.skill.talents)]);
        lists.push([`talents with ${skill.uri}`, await allIds(page(`talents(filter: { skillUri: "${skill.uri}" }, first: 500, after: $after)`), {}, (d) => d.talents)]);
      }
      for (const event of new Set(events)) {
        const query = `query ($after: String) { event(id: "${event}") { registrations(first: 100, after: $after) { nodes { talent { id } } pageInfo { hasNextPage endCursor } } } }`;
        lists.push([`registrations of ${event}`, await allIds(query, {}, (d) => d.event.registrations, (node) => node.talent.id)]);
      }
      return lists;
    };
    // Before: each list holds the talent, so that its absence afterwards means something.
    const before = await collectLists();
    for (const [name, ids] of before) expect(ids, name).toContain(id);

    // Not the owner: refused, nothing erased.
    const refused = await stack.query(`mutation { eraseTalent(id: "${id}") { talentId } }`, {}, { token: await mintToken(owner === 'cemr' ? 'uclg' : 'cemr', 'editor') });
    expect(refused.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await registrationsOf()).toBe(talent.registrations.totalCount);

    const token = await mintToken(owner, 'editor');
    const { body: erased } = await stack.query(`mutation { eraseTalent(id: "${id}") { talentId erasedAt subgraphs { subgraph delivered } } }`, {}, { token });
    expect(erased.errors).toBeUndefined();
    expect(erased.data!.eraseTalent).toMatchObject({ talentId: id, subgraphs: [{ subgraph: 'trainings', delivered: true }] });

    // By id, and by entity lookups straight at both subgraphs.
    expect((await stack.query(`{ talent(id: "${id}") { id displayName } }`, {}, { token })).body.data).toEqual({ talent: null });
    // As the gateway would send them for a user of the owner, who may read the talent's personal data.
    const identity = { subject: 'erasure-test', organisationId: owner, roles: ['viewer'] as const };
    const entity = async (subgraph: string, selection: string) => {
      const body = JSON.stringify({ query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Talent { ${selection} } } }`, variables: { r: [{ __typename: 'Talent', id, personalDataReadable: true }] } });
      const response = await fetch(stack.subgraphUrls[subgraph]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...internalRequestHeaders(identity, developmentInternalSecret, { audience: subgraph, body }) },
        body,
      });
      return ((await response.json()) as any).data._entities;
    };
    expect(await entity('talents', 'id displayName')).toEqual([null]);
    expect(await entity('trainings', 'registrations(first: 10) { totalCount nodes { id } }')).toEqual([{ registrations: { totalCount: 0, nodes: [] } }]);
    expect(await registrationsOf()).toBe(0);

    const after = await collectLists();
    expect(after.map(([name]) => name)).toEqual(before.map(([name]) => name));
    for (const [name, ids] of after) expect(ids, name).not.toContain(id);
    console.log(`erasure (${kind}): the talent was in ${before.length} lists before, in none after; trainings holds 0 registrations of it`);

    // Erasing again: the id names nothing any more.
    const again = await stack.query(`mutation { eraseTalent(id: "${id}") { talentId } }`, {}, { token });
    expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'id' });
  });

  it("takes the talent's Talent Hub records with it: mentorships, hosted exchanges, affiliations, completions", async () => {
    const talentsDb = stack.databases.talents!.db;
    // A demo talent with an exchange at another organisation and a mentorship.
    const { rows } = await sql<{ id: string; owner: string; host: string; mentorship: string }>`
      select t.id, t.organisation_id as owner, e.host_organisation_id as host, m.id as mentorship
      from talents t join exchanges e on e.talent_id = t.id
      join mentorships m on m.mentor_id = t.id or m.mentee_id = t.id
      order by t.id limit 1`.execute(talentsDb);
    expect(rows, 'a demo talent with an exchange and a mentorship').toHaveLength(1);
    const { id, owner, host, mentorship } = rows[0]!;
    const hostToken = await mintToken(host, 'viewer');
    const ownerToken = await mintToken(owner, 'editor');
    // Hosted exchanges are the host's to read: paged with its token.
    const hostedAs = async () => {
      const ids: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const { body }: { body: any } = await stack.query(`query ($after: String) { organisation(id: "${host}") { hostedExchanges(first: 100, after: $after) { nodes { talent { id } } pageInfo { hasNextPage endCursor } } } }`, { after }, { token: hostToken });
        expect(body.errors).toBeUndefined();
        const connection: { nodes: { talent: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = body.data.organisation.hostedExchanges;
        ids.push(...connection.nodes.map((n) => n.talent.id));
        if (!connection.pageInfo.hasNextPage) return ids;
        after = connection.pageInfo.endCursor;
      }
      throw new Error('more than 50 pages');
    };
    const mentorshipOf = async () => (await stack.query(`{ mentorship(id: "${mentorship}") { id } }`, {}, { token: ownerToken })).body.data?.mentorship;
    const held = async () => (await sql<{ n: number }>`select (select count(*) from affiliations where talent_id = ${id})
      + (select count(*) from talent_learning_goals where talent_id = ${id}) + (select count(*) from exchanges where talent_id = ${id})
      + (select count(*) from mentorships where mentor_id = ${id} or mentee_id = ${id}) as n`.execute(talentsDb)).rows[0]!.n;
    expect(await hostedAs()).toContain(id);
    expect(Number(await held())).toBeGreaterThan(0);

    const { body: erased } = await stack.query(`mutation { eraseTalent(id: "${id}") { talentId } }`, {}, { token: ownerToken });
    expect(erased.errors).toBeUndefined();
    expect(await hostedAs()).not.toContain(id);
    expect(Number(await held())).toBe(0);
    expect(await mentorshipOf()).toBeNull();
    const completions = Number((await sql<{ n: number }>`select count(*)::int as n from registrations where talent_id = ${id}`.execute(stack.databases.trainings!.db)).rows[0]!.n);
    expect(completions).toBe(0);
  });
});
