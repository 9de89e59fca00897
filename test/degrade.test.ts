import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenGateway, type RunningGateway } from '@talent-hub/gateway/server';
import type { Database, StoreConfig } from '@talent-hub/subgraph-lib/db';
import { developmentInternalSecret } from '@talent-hub/platform/identity';
import { projectRoot } from '@talent-hub/platform/paths';
import { listenSubgraph, prepareDatabase, type AnySubgraph, type RunningSubgraph } from '@talent-hub/subgraph-lib/subgraph';
import { createTestDatabase } from '@talent-hub/subgraph-lib/testing/database';
import { loadSubgraphs } from '../scripts/subgraphs.js';
import { crossSubgraphFields, stopsNullAtField } from './cross-subgraph-fields.js';
import { storeKinds, type GraphResponse, type StoreKind } from './harness.js';
import { mintToken } from './tokens.js';

// Degrade per field, never per answer (issue 12, finding 6): with one subgraph down, every field that subgraph
// resolves for another subgraph's object is null with an error at its path, and the objects around it come back
// with their own fields. The fields are read from the supergraph (cross-subgraph-fields.ts); each has a probe here,
// and the list of probes must equal that list, so a new cross-subgraph field fails this test until it has one.

const supergraphPath = path.join(projectRoot, 'schema', 'supergraph.graphql');
const quiet = { debug() {}, info() {}, warn() {}, error: console.error };
/** The fetch deadline of these gateways: the frozen subgraph costs this much, a stopped one nothing. */
const timeoutMs = 1_500;

type Path = (string | number)[];

interface Probe {
  /** Touches the field under parents reached without the subgraph that resolves it. */
  query: string;
  /** Where the field's parents are; `*` is every item of a list. */
  parents: (string | '*')[];
  /** A field of the parent that does not need the down subgraph: it must come back unchanged. */
  own: string;
  /** The field's response name. */
  field: string;
  /** Organisation whose admin asks (personal data), anonymous when absent. */
  as?: string;
  /**
   * When the parent itself is only reached through the down subgraph (a `@requires` on it, or the subgraph that
   * resolves the parent calls the down one first), the nearest ancestor that is null with an error instead.
   */
  ancestor?: Path;
}

const cemrTalents = (selection: string) => `{ talents(first: 40, organisationId: "cemr") { nodes { id displayName ${selection} } } }`;
const talentNodes = ['talents', 'nodes', '*'];
const eventsOf = (selection: string, filter = '') => `{ events(first: 60${filter}) { nodes { id title ${selection} } } }`;
const eventNodes = ['events', 'nodes', '*'];
const retention = (selection: string) =>
  `{ networkRetention(networkId: "talent-hub", fromQuarter: "2024-Q1", toQuarter: "2024-Q4", asOf: "2026-11-30") { threshold ${selection} } }`;
const chidi = '163c8637-1711-4b5c-b3c2-a7481812aa08';

const probes: Record<string, Probe> = {
  'Affiliation.organisation': { query: cemrTalents('affiliations { role organisation { name } }'), parents: [...talentNodes, 'affiliations', '*'], own: 'role', field: 'organisation', as: 'cemr' },
  'Event.organiser': { query: eventsOf('organiser { name }'), parents: eventNodes, own: 'title', field: 'organiser' },
  // The demo data names no event partners; beforeAll gives the EWRC session two.
  'Event.partners': { query: '{ event(id: "ewrc-2024-eu-belong") { title partners { name } } }', parents: ['event'], own: 'title', field: 'partners' },
  'Event.programme': { query: eventsOf('programme { name }'), parents: eventNodes, own: 'title', field: 'programme' },
  'Event.region': { query: eventsOf('region { name }'), parents: eventNodes, own: 'title', field: 'region' },
  'Event.skills': { query: eventsOf('skills { label }'), parents: eventNodes, own: 'title', field: 'skills' },
  'Exchange.homeOrganisation': { query: cemrTalents('exchanges(first: 3) { nodes { id homeOrganisation { name } } }'), parents: [...talentNodes, 'exchanges', 'nodes', '*'], own: 'id', field: 'homeOrganisation', as: 'cemr' },
  'Exchange.hostOrganisation': { query: cemrTalents('exchanges(first: 3) { nodes { id hostOrganisation { name } } }'), parents: [...talentNodes, 'exchanges', 'nodes', '*'], own: 'id', field: 'hostOrganisation', as: 'cemr' },
  'Exchange.programme': { query: cemrTalents('exchanges(first: 3) { nodes { id programme { name } } }'), parents: [...talentNodes, 'exchanges', 'nodes', '*'], own: 'id', field: 'programme', as: 'cemr' },
  'Exchange.region': { query: cemrTalents('exchanges(first: 3) { nodes { id region { name } } }'), parents: [...talentNodes, 'exchanges', 'nodes', '*'], own: 'id', field: 'region', as: 'cemr' },
  'Mentorship.organisation': { query: cemrTalents('mentorships(first: 3) { nodes { id organisation { name } } }'), parents: [...talentNodes, 'mentorships', 'nodes', '*'], own: 'id', field: 'organisation', as: 'cemr' },
  'Mentorship.programme': { query: cemrTalents('mentorships(first: 3) { nodes { id programme { name } } }'), parents: [...talentNodes, 'mentorships', 'nodes', '*'], own: 'id', field: 'programme', as: 'cemr' },
  // networkRetention asks regions for the network's members, and keeps them a minute: asked just before (the
  // baseline), it is answered while regions is down, and only the organisations' own fields are missing.
  'NetworkFlow.from': { query: retention('flows { leftNetwork from { name } }'), parents: ['networkRetention', 'flows', '*'], own: 'leftNetwork', field: 'from' },
  'NetworkFlow.to': { query: retention('flows { leftNetwork to { name } }'), parents: ['networkRetention', 'flows', '*'], own: 'leftNetwork', field: 'to' },
  'NetworkRetention.members': { query: retention('members { name }'), parents: ['networkRetention'], own: 'threshold', field: 'members' },
  'NetworkRetention.network': { query: retention('network { name }'), parents: ['networkRetention'], own: 'threshold', field: 'network' },
  'Organisation.events': { query: '{ organisation(id: "aer") { name events(first: 2) { nodes { id } } } }', parents: ['organisation'], own: 'name', field: 'events' },
  'Organisation.hostedExchanges': { query: '{ organisation(id: "eurocities") { name hostedExchanges(first: 2) { totalCount } } }', parents: ['organisation'], own: 'name', field: 'hostedExchanges', as: 'eurocities' },
  'Organisation.talents': { query: '{ organisation(id: "cemr") { name talents(first: 2) { nodes { id } } } }', parents: ['organisation'], own: 'name', field: 'talents' },
  'Programme.events': { query: '{ programmes(first: 50) { nodes { name events(first: 2) { nodes { id } } } } }', parents: ['programmes', 'nodes', '*'], own: 'name', field: 'events' },
  'Programme.participantsReached': { query: '{ programmes(first: 50) { nodes { name participantsReached { suppressed } } } }', parents: ['programmes', 'nodes', '*'], own: 'name', field: 'participantsReached' },
  // recommendedTrainings @requires the talent's personal-data rule from talents: without talents, no talent.
  'RecommendationReason.skill': { query: `{ talent(id: "${chidi}") { displayName recommendedTrainings(first: 3) { reasons { reason skill { label } } } } }`, parents: ['talent', 'recommendedTrainings', '*', 'reasons', '*'], own: 'reason', field: 'skill', as: 'cemr', ancestor: ['talent'] },
  'Region.events': { query: '{ region(code: "ITH5") { name events(first: 2) { nodes { id } } } }', parents: ['region'], own: 'name', field: 'events' },
  'Region.talents': { query: '{ region(code: "ITH5") { name talents(first: 2) { nodes { id } } } }', parents: ['region'], own: 'name', field: 'talents' },
  'Registration.registeredBy': { query: eventsOf('registrations(first: 3) { nodes { id registeredBy { name } } }', ', organiserId: "aer"'), parents: [...eventNodes, 'registrations', 'nodes', '*'], own: 'id', field: 'registeredBy', as: 'aer' },
  'Registration.talent': { query: eventsOf('registrations(first: 3) { nodes { id talent { displayName } } }', ', organiserId: "aer"'), parents: [...eventNodes, 'registrations', 'nodes', '*'], own: 'id', field: 'talent', as: 'aer' },
  'RegistrationStatisticsCell.region': { query: '{ registrationStatistics(groupBy: [REGION]) { events region { name } } }', parents: ['registrationStatistics', '*'], own: 'events', field: 'region' },
  'ResidencePeriod.region': { query: cemrTalents('residenceHistory { from region { name } }'), parents: [...talentNodes, 'residenceHistory', '*'], own: 'from', field: 'region', as: 'cemr' },
  'Skill.events': { query: '{ skills(first: 100) { nodes { label events(first: 1) { totalCount } } } }', parents: ['skills', 'nodes', '*'], own: 'label', field: 'events' },
  'Speaker.organisation': { query: eventsOf('speakers { name organisation { name } }'), parents: [...eventNodes, 'speakers', '*'], own: 'name', field: 'organisation' },
  'Talent.completedTrainings': { query: cemrTalents('completedTrainings(first: 2) { totalCount }'), parents: talentNodes, own: 'displayName', field: 'completedTrainings', as: 'cemr' },
  'Talent.organisation': { query: cemrTalents('organisation { name }'), parents: talentNodes, own: 'displayName', field: 'organisation' },
  'Talent.originRegion': { query: cemrTalents('originRegion { name }'), parents: talentNodes, own: 'displayName', field: 'originRegion' },
  'Talent.recommendedTrainings': { query: `{ talent(id: "${chidi}") { displayName recommendedTrainings(first: 2) { event { id } } } }`, parents: ['talent'], own: 'displayName', field: 'recommendedTrainings', as: 'cemr' },
  'Talent.registrations': { query: cemrTalents('registrations(first: 2) { nodes { event { id } } }'), parents: talentNodes, own: 'displayName', field: 'registrations', as: 'cemr' },
  'Talent.residenceRegion': { query: cemrTalents('residenceRegion { name }'), parents: talentNodes, own: 'displayName', field: 'residenceRegion' },
  // The demo data has no consent by a CEMR talent; beforeAll adds one, by CEMR's first talent in id order.
  'TalentConsent.organisation': { query: cemrTalents('consents { grantedAt organisation { name } }'), parents: [...talentNodes, 'consents', '*'], own: 'grantedAt', field: 'organisation', as: 'cemr' },
  'TalentRetention.region': { query: '{ talentRetention(regionCode: "ITH5") { threshold region { name } } }', parents: ['talentRetention'], own: 'threshold', field: 'region' },
  'TalentStatisticsCell.region': { query: '{ talentStatistics(groupBy: [REGION], regionLevel: 2) { cells { suppressed region { name } } } }', parents: ['talentStatistics', 'cells', '*'], own: 'suppressed', field: 'region' },
};

/** Every value at a path pattern, with its concrete path. */
function at(value: unknown, pattern: (string | '*')[], prefix: Path = []): { path: Path; value: any }[] {
  if (pattern.length === 0) return [{ path: prefix, value }];
  if (value === null || value === undefined) return [];
  const [head, ...rest] = pattern;
  if (head === '*') return Array.isArray(value) ? value.flatMap((item, i) => at(item, rest, [...prefix, i])) : [];
  return at((value as Record<string, unknown>)[head!], rest, [...prefix, head!]);
}
const get = (value: any, path: Path): any => path.reduce((v, key) => (v == null ? v : v[key]), value);
const startsWith = (path: Path | undefined, prefix: Path) => !!path && prefix.every((key, i) => path[i] === key);
/** A value the field had with every subgraph up: a list of entities counts only when it has items. */
const present = (value: unknown) => value !== null && value !== undefined && (!Array.isArray(value) || value.length > 0);

/** Stands between the gateway and a subgraph; `freeze()` holds every request unanswered, as SIGSTOP would. */
async function freezableProxy(target: string) {
  let frozen = false;
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (frozen) return void held.push(res);
      const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    freeze: () => void (frozen = true),
    thaw: () => {
      frozen = false;
      for (const res of held.splice(0)) res.destroy();
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe.each(storeKinds)('degrade per field, never per answer (%s)', (kind: StoreKind) => {
  const cleanups: (() => Promise<void>)[] = [];
  const databases: Record<string, Database<any>> = {};
  const running: Record<string, RunningSubgraph> = {};
  const subgraphUrls: Record<string, string> = {};
  let subgraphs: AnySubgraph[] = [];
  let gateway: RunningGateway;
  const tokens: Record<string, string> = {};

  const startSubgraph = async (subgraph: AnySubgraph, port = 0) => {
    const server = await listenSubgraph(subgraph, databases[subgraph.name]!.db, { host: '127.0.0.1', port, internalTokenSecret: developmentInternalSecret, subgraphUrls });
    running[subgraph.name] = server;
    return server;
  };
  const startGateway = async (urls: Record<string, string>) => {
    const started = await listenGateway({
      supergraphPath,
      subgraphUrls: urls,
      watch: false,
      host: '127.0.0.1',
      port: 0,
      logger: quiet,
      // No retry and a circuit that never opens: every answer here is the first attempt's, failing on its own.
      resilience: { timeoutMs, retries: 0, breakerFailures: 1_000_000, breakerCooldownMs: 1 },
    });
    cleanups.push(() => started.stop());
    return started;
  };
  const ask = async (url: string, query: string, as?: string): Promise<GraphResponse & { ms: number }> => {
    const started = performance.now();
    const token = as ? (tokens[as] ??= await mintToken(as, 'admin')) : undefined;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as GraphResponse['body'], ms: performance.now() - started };
  };

  beforeAll(async () => {
    subgraphs = await loadSubgraphs();
    await Promise.all(
      subgraphs.map(async (subgraph) => {
        let store: StoreConfig = { kind: 'pglite', dataDir: undefined };
        if (kind === 'postgres') {
          const created = await createTestDatabase(process.env.TEST_DATABASE_URL!, `degrade_${subgraph.name.replaceAll('-', '_')}`.slice(0, 30));
          cleanups.push(created.drop);
          store = created.store;
        }
        databases[subgraph.name] = await prepareDatabase(subgraph, store, { seed: true });
        cleanups.push(() => databases[subgraph.name]!.close());
        subgraphUrls[subgraph.name] = (await startSubgraph(subgraph)).url;
      }),
    );
    await sql`insert into event_partners (event_id, organisation_id) values ('ewrc-2024-eu-belong', 'cemr'), ('ewrc-2024-eu-belong', 'eurocities')
      on conflict do nothing`.execute(databases.trainings!.db);
    await sql`insert into talent_consents (talent_id, organisation_id)
      select id, 'aer' from talents where organisation_id = 'cemr' order by id limit 1
      on conflict do nothing`.execute(databases.talents!.db);
    gateway = await startGateway(subgraphUrls);
  }, 120_000);

  afterAll(async () => {
    for (const server of Object.values(running)) await server.stop();
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error('cleanup failed', error));
  });

  it('has a probe for every field another subgraph resolves, and each such field stops a null at itself', () => {
    const fields = crossSubgraphFields(readFileSync(supergraphPath, 'utf8'));
    expect(Object.keys(probes).sort()).toEqual(fields.map((f) => f.coordinate));
    expect(fields.filter((f) => !stopsNullAtField(f.type)).map((f) => `${f.coordinate}: ${f.type}`)).toEqual([]);
    // Every subgraph but one resolves some of them, so each outage below is exercised.
    expect(new Set(fields.map((f) => f.from))).toEqual(new Set(subgraphs.map((s) => s.name)));
  });

  it('with each subgraph stopped in turn, every field it resolves for others is null with an error there, and the rest stays', async () => {
    const fields = crossSubgraphFields(readFileSync(supergraphPath, 'utf8'));
    for (const subgraph of subgraphs) {
      const own = fields.filter((f) => f.from === subgraph.name);
      // With every subgraph up: where each field has a value, and the parents' own fields.
      const baselines = new Map<string, { parents: { path: Path; own: unknown }[]; answer: GraphResponse }>();
      for (const { coordinate } of own) {
        const probe = probes[coordinate]!;
        const answer = await ask(gateway.url, probe.query, probe.as);
        expect(answer.body.errors, `${coordinate} with every subgraph up`).toBeUndefined();
        const parents = at(answer.body.data, probe.parents)
          .filter(({ value }) => value !== null && present(value[probe.field]))
          .map(({ path, value }) => ({ path, own: value[probe.own] }));
        expect(parents.length, `${coordinate}: parents with a value when all is up`).toBeGreaterThan(0);
        baselines.set(coordinate, { parents, answer });
      }

      const port = Number(new URL(subgraphUrls[subgraph.name]!).port);
      await running[subgraph.name]!.stop();
      try {
        for (const { coordinate } of own) {
          const probe = probes[coordinate]!;
          const { parents } = baselines.get(coordinate)!;
          const answer = await ask(gateway.url, probe.query, probe.as);
          const where = `${coordinate} with ${subgraph.name} down`;
          expect(answer.status, where).toBe(200);
          expect(answer.body.data, where).not.toBeNull();
          expect(answer.body.data, where).toBeDefined();
          const errors = answer.body.errors ?? [];
          if (probe.ancestor) {
            expect(get(answer.body.data, probe.ancestor), where).toBeNull();
            expect(errors.some((e) => startsWith(e.path, probe.ancestor!)), `${where}: an error at ${probe.ancestor.join('.')}`).toBe(true);
            continue;
          }
          for (const parent of parents) {
            const value = get(answer.body.data, parent.path);
            expect(value, `${where}: parent at ${parent.path.join('.')}`).not.toBeNull();
            expect(value[probe.own], `${where}: ${probe.own} of the parent`).toEqual(parent.own);
            const fieldPath = [...parent.path, probe.field];
            const fieldValue = value[probe.field];
            // A list of references keeps its length, each item null; any other field is null itself.
            if (Array.isArray(fieldValue)) expect(fieldValue.every((item) => item === null), `${where}: items at ${fieldPath.join('.')}`).toBe(true);
            else expect(fieldValue, `${where}: ${fieldPath.join('.')}`).toBeNull();
            const error = errors.find((e) => startsWith(e.path, fieldPath));
            expect(error, `${where}: an error at ${fieldPath.join('.')}`).toBeDefined();
            expect(error!.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: subgraph.name });
          }
        }
      } finally {
        await startSubgraph(subgraph, port);
      }
    }
  }, 120_000);

  it("with trainings frozen, the talents come back within the deadline, each with registrations null and an error at that path", async () => {
    const proxy = await freezableProxy(subgraphUrls.trainings!);
    cleanups.push(proxy.close);
    const viaProxy = await startGateway({ ...subgraphUrls, trainings: proxy.url });
    // The finding's query, as CEMR (registrations are the talent's personal data).
    const query = '{ talents(first: 3, organisationId: "cemr") { nodes { id displayName registrations(first: 2) { nodes { event { id } } } } } }';
    const before = await ask(viaProxy.url, query, 'cemr');
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data.talents.nodes).toHaveLength(3);

    proxy.freeze();
    try {
      const answer = await ask(viaProxy.url, query, 'cemr');
      expect(answer.ms).toBeLessThan(timeoutMs + 2_000);
      expect(answer.body.data.talents.nodes.map((t: any) => [t.id, t.displayName, t.registrations])).toEqual(
        before.body.data.talents.nodes.map((t: any) => [t.id, t.displayName, null]),
      );
      for (const i of [0, 1, 2]) {
        expect(answer.body.errors).toContainEqual(
          expect.objectContaining({
            path: ['talents', 'nodes', i, 'registrations'],
            extensions: expect.objectContaining({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'trainings' }),
          }),
        );
      }
    } finally {
      proxy.thaw();
    }
  }, 30_000);

  it("a registration whose talent does not exist leaves that talent null, and the event and its other registrations come back", async () => {
    const events = await ask(gateway.url, '{ events(first: 100, organiserId: "aer") { nodes { id registrations(first: 1) { totalCount } } } }', 'aer');
    const eventId = (events.body.data.events.nodes as { id: string; registrations: { totalCount: number } }[]).find((e) => e.registrations.totalCount > 1)!.id;
    const query = `{ event(id: "${eventId}") { id title registrations(first: 100) { nodes { id talent { id displayName } } } } }`;
    const before = await ask(gateway.url, query, 'aer');
    expect(before.body.errors).toBeUndefined();
    const existing = before.body.data.event.registrations.nodes as { id: string; talent: { id: string; displayName: string } }[];
    expect(existing.length).toBeGreaterThan(1);
    expect(existing.some((r) => r.talent !== null)).toBe(true);

    // A copy of a registration of this event, for a talent the talents subgraph does not know (a phantom of
    // before integrity checks, or a talent erased there): whatever the registrations table's columns are.
    const phantomTalent = '00000000-0000-4000-8000-00000000dead';
    const trainings = databases.trainings!.db;
    await sql`insert into registrations
      select (jsonb_populate_record(null::registrations, to_jsonb(r) || jsonb_build_object('id', gen_random_uuid(), 'talent_id', ${phantomTalent}::uuid, 'registered_at', now(), 'updated_at', now()))).*
      from registrations r where r.id = ${existing[0]!.id}`.execute(trainings);

    const answer = await ask(gateway.url, query, 'aer');
    expect(answer.body.data.event.title).toBe(before.body.data.event.title);
    const nodes = answer.body.data.event.registrations.nodes as { id: string; talent: unknown }[];
    const known = new Set(existing.map((r) => r.id));
    expect(nodes.filter((n) => known.has(n.id))).toEqual(existing);
    expect(nodes.filter((n) => !known.has(n.id))).toEqual([{ id: expect.any(String), talent: null }]);
    // Null without an error, as an unknown id is: nothing failed, the talent is just not there.
    expect(answer.body.errors).toBeUndefined();
  });
});
