import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// Every contract field and every seed fact of domain.md, asked through the gateway, on each store.

describe.each(storeKinds)('the graph through the gateway (%s)', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
  });
  afterAll(() => stack?.stop());

  const ok = async (query: string, variables?: Record<string, unknown>, token?: string) => {
    const { status, body } = await stack.query(query, variables, token ? { token } : {});
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(status).toBe(200);
    return body.data;
  };

  it('fact 1: the Talent Hub, its three objectives, its networks and their secretaries general', async () => {
    const data = await ok(`{
      programme(id: "talent-hub") { name kind objectives partners { id name leaders { name role } } }
    }`);
    expect(data.programme.name).toBe('Talent Hub for Cities and Regions');
    expect(data.programme.objectives).toEqual([
      'Attract new talent and nurture the next generation of leaders in territorial diplomacy.',
      'Develop a pool of talents and knowledge through joint trainings, exchanges and tailored mentoring.',
      'Retain talent across the three organisations.',
    ]);
    const partners = Object.fromEntries(data.programme.partners.map((p: any) => [p.id, p]));
    expect(Object.keys(partners)).toEqual(['cemr', 'eurocities', 'uclg']);
    expect(partners.cemr.leaders).toEqual([{ name: 'Fabrizio Rossi', role: 'Secretary General' }]);
    expect(partners.eurocities.leaders).toEqual([{ name: 'André Sobczak', role: 'Secretary General' }]);
    expect(partners.uclg.name).toBe('United Cities and Local Governments World Secretariat');
  });

  it('fact 2: AER (1985, 25 countries), its network IRN and EU-Belong (AMIF; 10 regions, 7 countries, 2 technical partners)', async () => {
    const data = await ok(`{
      organisation(id: "aer") { name acronym kind foundedYear keyFigures { code value unit } }
      programme(id: "eu-belong") { name kind fundingSource managingOrganisation { id } initiatedBy { id name parentOrganisation { id } }
        indicators { code value unit } }
    }`);
    expect(data.organisation).toMatchObject({ name: 'Assembly of European Regions', acronym: 'AER', kind: 'NETWORK', foundedYear: 1985 });
    expect(data.organisation.keyFigures).toEqual([{ code: 'member-countries', value: '25', unit: 'countries' }]);
    expect(data.programme).toMatchObject({
      name: 'EU-Belong',
      fundingSource: 'Asylum, Migration and Integration Fund (AMIF)',
      managingOrganisation: { id: 'aer' },
      initiatedBy: { id: 'aer-irn', name: 'Intercultural Regions Network', parentOrganisation: { id: 'aer' } },
    });
    expect(Object.fromEntries(data.programme.indicators.map((i: any) => [i.code, i.value]))).toEqual({
      'regional-authority-partners': '10',
      'partner-countries': '7',
      'technical-partners': '2',
    });
  });

  it('fact 3: the EWRC 2024 session, its time in Brussels, venue, organiser and agenda', async () => {
    const data = await ok(`{
      event(id: "ewrc-2024-eu-belong") {
        id title kind series startsAt endsAt timeZone venue { name room city }
        region { code name } organiser { id name } programme { id name }
        agenda { startsAt endsAt title speakers { name role affiliation organisation { id name } } }
      }
    }`);
    const e = data.event;
    expect(e).toMatchObject({
      title: 'Skills: (EU)Belong here: How intercultural strategies can boost talent attraction and retention',
      series: 'European Week of Regions and Cities 2024',
      startsAt: '2024-10-09T14:30:00+02:00',
      endsAt: '2024-10-09T15:30:00+02:00',
      timeZone: 'Europe/Brussels',
      venue: { name: 'Albert Borschette Conference Centre', room: 'AB-4A', city: 'Brussels' },
      region: { code: 'BE10', name: 'Région de Bruxelles-Capitale/ Brussels Hoofdstedelijk Gewest' },
      organiser: { id: 'aer', name: 'Assembly of European Regions' },
      programme: { id: 'eu-belong', name: 'EU-Belong' },
    });
    expect(e.agenda.map((a: any) => `${a.startsAt.slice(11, 16)}-${a.endsAt.slice(11, 16)} ${a.title}`)).toEqual([
      '14:30-14:40 Setting the scene: the AER intercultural integration journey',
      '14:40-15:10 Regional intercultural integration strategies in practice',
      '15:10-15:25 Q&A',
      '15:25-15:30 Looking ahead: empowering European regions',
    ]);
    const speakers = e.agenda.flatMap((a: any) => a.speakers.map((s: any) => `${s.name} | ${s.role} | ${s.affiliation} | ${s.organisation?.id}`));
    expect(speakers).toEqual([
      'Emanuela Pisanò | European Project Manager | Assembly of European Regions | aer',
      'Lara Porciatti | Project manager | ART-ER Attrattività Ricerca Territorio | art-er',
      'Guadalupe Moreno Iturriaga | Deputy Director General of Migration and Asylum | Ministry of Social Rights and Inclusion | catalonia-social-rights',
      'Andrew Mc Nulty | Arts & Cultural Diversity Officer | Donegal County Council | donegal-county-council',
      'Emanuela Pisanò | European Project Manager | Assembly of European Regions | aer',
    ]);
    expect(e.agenda[1].speakers[1].organisation.name).toBe('Ministry of Social Rights and Inclusion (Government of Catalonia)');
  });

  it("fact 4: Emilia-Romagna's programme, money to the cent, projects, services and reach", async () => {
    const data = await ok(`{
      programme(id: "emilia-romagna-talents") {
        id name legalBasis period { start end } budget { amount currency } maxContribution { amount currency }
        cofinancingRate fundingSource objectives alignedStrategies managingOrganisation { id name }
        partners { id } regions { code name } projects { name region { code name } period { start end } }
        services { name } indicators { code name value unit asOf }
        events { nodes { id organiser { id } } }
      }
    }`);
    const p = data.programme;
    expect(p.legalBasis).toBe('Regional Law No. 2/2023, implemented by Deliberation No. 1242 of 17 July 2023');
    expect(p.period).toEqual({ start: '2023-01-01', end: '2025-12-31' });
    expect(p.budget).toEqual({ amount: '2232176.90', currency: 'EUR' });
    expect(p.maxContribution).toEqual({ amount: '1785741.52', currency: 'EUR' });
    expect(p.cofinancingRate).toBe('0.80');
    expect(p.alignedStrategies).toEqual(['Regional Smart Specialisation Strategy (S3)']);
    expect(p.regions).toEqual([{ code: 'ITH5', name: 'Emilia-Romagna' }]);
    expect(p.projects).toHaveLength(10);
    expect(p.projects[0].region.name).toBe('Piacenza');
    expect(p.projects[9].region.name).toBe('Rimini');
    expect(p.projects.find((x: any) => x.region.name === 'Bologna').period).toEqual({ start: '2024-01-01', end: '2025-12-31' });
    expect(p.services.map((s: any) => s.name)).toEqual([
      'Welcome desks for international talents',
      'Multilingual orientation',
      'Housing and school support',
      'Career and networking support',
      'Digital information platforms',
      'Community integration activities',
    ]);
    expect(Object.fromEntries(p.indicators.map((i: any) => [i.code, `${i.value} ${i.unit} @${i.asOf}`]))).toEqual({
      'pilot-projects': '10 projects @2024-02-29',
      'service-types': '33 service types @2024-02-29',
      'services-delivered': '68 services @2024-02-29',
      'organisations-reached': '574 organisations @2024-02-29',
      'talents-reached': '7063 talents @2024-02-29',
    });
    expect(p.events.nodes.length).toBeGreaterThan(0);
    expect(p.events.nodes.every((e: any) => e.organiser.id === 'art-er')).toBe(true);
  });

  it('regions: code, name, level, country, parent, children, and the talents and events of other subgraphs', async () => {
    const data = await ok(`{
      region(code: "ITH5") {
        code name level countryCode parent { code } children { code }
        talents(first: 5) { edges { cursor node { id residenceRegion { code } } } nodes { id } pageInfo { hasNextPage endCursor } }
        events(first: 5) { nodes { id region { code } } }
      }
      regions(level: 0, first: 3) { nodes { code level } pageInfo { hasNextPage } }
    }`);
    const r = data.region;
    expect(r).toMatchObject({ code: 'ITH5', name: 'Emilia-Romagna', level: 2, countryCode: 'IT', parent: { code: 'ITH' } });
    expect(r.children).toHaveLength(9);
    expect(r.talents.nodes).toHaveLength(5);
    expect(r.talents.edges.map((e: any) => e.node.id)).toEqual(r.talents.nodes.map((n: any) => n.id));
    expect(r.talents.edges.every((e: any) => e.node.residenceRegion.code.startsWith('ITH5'))).toBe(true);
    expect(r.talents.pageInfo.hasNextPage).toBe(true);
    expect(r.events.nodes.length).toBeGreaterThan(0);
    expect(r.events.nodes.every((e: any) => e.region.code.startsWith('ITH5'))).toBe(true);
    expect(data.regions).toEqual({ nodes: [{ code: 'AL', level: 0 }, { code: 'AT', level: 0 }, { code: 'BA', level: 0 }], pageInfo: { hasNextPage: true } });

    const next = await ok('query ($after: String) { region(code: "ITH5") { talents(first: 5, after: $after) { nodes { id } } } }', {
      after: r.talents.pageInfo.endCursor,
    });
    const firstIds = new Set(r.talents.nodes.map((n: any) => n.id));
    expect(next.region.talents.nodes).toHaveLength(5);
    expect(next.region.talents.nodes.some((n: any) => firstIds.has(n.id))).toBe(false);
  });

  it('organisations: id, name, acronym, kind, and their talents and events', async () => {
    const data = await ok(`{
      organisations(first: 50) { nodes { id name acronym kind } }
      cemr: organisation(id: "cemr") { talents(first: 3) { nodes { organisation { id } } } events(first: 3) { nodes { organiser { id } } } }
      aer: organisation(id: "aer") { events(first: 50) { nodes { id } } }
    }`);
    expect(data.organisations.nodes.map((o: any) => o.id)).toEqual(expect.arrayContaining(['cemr', 'eurocities', 'uclg', 'aer', 'art-er']));
    expect(data.cemr.talents.nodes).toEqual([{ organisation: { id: 'cemr' } }, { organisation: { id: 'cemr' } }, { organisation: { id: 'cemr' } }]);
    expect(data.cemr.events.nodes.every((e: any) => e.organiser.id === 'cemr')).toBe(true);
    expect(data.aer.events.nodes.map((e: any) => e.id)).toContain('ewrc-2024-eu-belong');
  });

  it('talents: every contract field, across all three subgraphs', async () => {
    // Registrations are personal data: read as the talent's organisation (demo talent 0 is CEMR's).
    const cemr = await mintToken('cemr', 'viewer');
    const data = await ok(`query ($id: ID!) { talent(id: $id) {
      id displayName category citizenship residenceRegion { code name level } organisation { id name }
      skills { level skill { uri label } } languages { language level }
      registrations(first: 10) { nodes { status registeredAt event { id title startsAt organiser { id } } } pageInfo { hasNextPage } }
    } }`, { id: syntheticTalentId(0) }, cemr);
    const t = data.talent;
    expect(t.id).toBe(syntheticTalentId(0));
    expect(t.residenceRegion.name.length).toBeGreaterThan(0);
    expect(t.residenceRegion.level).toBe(3);
    expect(['cemr', 'eurocities', 'uclg']).toContain(t.organisation.id);
    expect(t.organisation.name.length).toBeGreaterThan(0);
    expect(t.skills.every((s: any) => s.skill.uri.startsWith('http://data.europa.eu/esco/skill/'))).toBe(true);
    expect(t.registrations.nodes.length).toBeGreaterThan(0);
    for (const r of t.registrations.nodes) expect(r.event.title.length).toBeGreaterThan(0);

    const list = await ok('{ talents(first: 500, organisationId: "cemr") { nodes { id registrations(first: 1) { nodes { id } } } } }', {}, cemr);
    expect(list.talents.nodes.filter((n: any) => n.registrations.nodes.length > 0).length).toBeGreaterThan(50);
  });

  it('events and registrations: every contract field, paged', async () => {
    // Registrations are personal data: read as the organiser of the events.
    const aer = await mintToken('aer', 'viewer');
    const data = await ok(`{ events(first: 3, organiserId: "aer") {
      edges { cursor node { id title kind startsAt endsAt timeZone venue { name room city } region { code } organiser { id name }
        programme { id name } agenda { startsAt endsAt title speakers { name role affiliation } }
        registrations(first: 2) { nodes { id status talent { id displayName } event { id } } pageInfo { hasNextPage endCursor } } } }
      pageInfo { hasNextPage endCursor }
    } }`, {}, aer);
    expect(data.events.edges).toHaveLength(3);
    const first = data.events.edges[0].node;
    expect(first.registrations.nodes).toHaveLength(2);
    expect(first.registrations.nodes[0].talent.displayName.length).toBeGreaterThan(0);
    expect(first.registrations.nodes[0].event.id).toBe(first.id);
    expect(first.programme.name.length).toBeGreaterThan(0);
    const next = await ok('query ($after: String) { events(first: 3, organiserId: "aer", after: $after) { nodes { id } } }', { after: data.events.pageInfo.endCursor });
    expect(next.events.nodes.map((n: any) => n.id)).not.toContain(first.id);
  });

  it('unknown ids give null; malformed arguments give BAD_USER_INPUT with a message saying what is wrong', async () => {
    const unknown = await ok(`{
      region(code: "ZZ9") { code } organisation(id: "nobody") { id } programme(id: "nothing") { id }
      event(id: "no-event") { id } talent(id: "00000000-0000-4000-8000-000000000000") { id }
    }`);
    expect(unknown).toEqual({ region: null, organisation: null, programme: null, event: null, talent: null });

    const cases: [string, RegExp][] = [
      ['{ region(code: "emilia-romagna") { code } }', /NUTS 2024 code/],
      ['{ organisation(id: "CEMR!") { id } }', /lowercase slug/],
      ['{ talent(id: "42") { id } }', /UUID/],
      ['{ talents(first: 100000) { nodes { id } } }', /"first" must be an integer from 0 to 500/],
      ['{ events(after: "not-a-cursor") { nodes { id } } }', /not a cursor of this list/],
      ['{ region(code: "ITH5") { talents(first: 101) { nodes { id } } } }', /"first" must be an integer from 0 to 100/],
    ];
    for (const [query, message] of cases) {
      const { body } = await stack.query(query);
      expect(body.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message, query).toMatch(message);
    }
  });

  it('malformed scalar values get BAD_USER_INPUT from the subgraph, without its address', async () => {
    for (const [query, variables] of [
      ['{ events(startsFrom: "yesterday") { nodes { id } } }', undefined],
      ['query ($from: DateTime) { events(startsFrom: $from) { nodes { id } } }', { from: 'yesterday' }],
    ] as const) {
      const { body } = await stack.query(query, variables);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toContain('DateTime must be a string like "2024-10-09T14:30:00+02:00"');
      expect(JSON.stringify(body)).not.toContain('127.0.0.1');
    }
  });

  it('totalCount counts the whole list, and only when selected', async () => {
    const query = (withCount: boolean) => `{
      talents(regionCode: "ITH5", first: 2) { nodes { id } ${withCount ? 'totalCount' : ''} }
      regions(level: 0, first: 1) { nodes { code } ${withCount ? 'totalCount' : ''} }
      organisation(id: "aer") { events(first: 1) { nodes { id } ${withCount ? 'totalCount' : ''} } }
    }`;
    const before = stack.statements();
    await ok(query(false));
    const withoutCount = stack.statements() - before;
    const start = stack.statements();
    const data = await ok(query(true));
    expect(stack.statements() - start).toBe(withoutCount + 3);
    expect(data.regions.totalCount).toBe(39);
    const all = await ok('{ talents(regionCode: "ITH5", first: 500) { nodes { id } } organisation(id: "aer") { events(first: 100) { nodes { id } } } }');
    expect(data.talents.totalCount).toBe(all.talents.nodes.length);
    expect(data.organisation.events.totalCount).toBe(all.organisation.events.nodes.length);
  });

  it('a cursor from one list is refused by another', async () => {
    const data = await ok('{ talents(first: 1) { pageInfo { endCursor } } }');
    const { body } = await stack.query('query ($after: String) { events(after: $after) { nodes { id } } }', { after: data.talents.pageInfo.endCursor });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
