import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { projectRoot } from '@talent-hub/platform/paths';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import {
  CancelRegistrationDocument,
  CreateEventDocument,
  EventWithAgendaDocument,
  GraphQLRequestError,
  HostedExchangesDocument,
  MentorMatchesDocument,
  NetworkRetentionDocument,
  OrganisationKeyFiguresDocument,
  OrganisationLeadersDocument,
  ProgrammeFinancesDocument,
  ProgrammeObjectivesDocument,
  ProgrammeOriginDocument,
  RegionNameDocument,
  RegionTalentsAndEventsDocument,
  RegionWithParentDocument,
  RegisterForEventDocument,
  SkillEventsDocument,
  TalentDashboardDocument,
  TalentNamesDocument,
  execute,
} from '@talent-hub/examples/index';
import { readmeForm, readmeMutationSignatures, readmeOperations } from '@talent-hub/examples/testing/readme';
import { readmeVariables } from '@talent-hub/examples/readme-variables';
import { examplePaths, exampleOperationFiles, generateExampleTypes } from '../scripts/examples-codegen.js';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// The README's example operations, kept as typed documents in examples/: their generated types are current,
// the README shows exactly these operations and answers, and the gateway gives those answers today, through the
// typed client, on each store. A schema change that breaks a documented example fails here.

const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const operationsFolder = path.join(projectRoot, examplePaths.operations);

/** Each example file's operation: name, kind, and the expected answer beside it, when the README gives one. */
const examples = exampleOperationFiles(projectRoot).map((file) => {
  const document = parse(readFileSync(file, 'utf8'));
  const operation = document.definitions[0] as OperationDefinitionNode;
  const expectedFile = file.replace(/\.graphql$/, '.expected.json');
  return {
    file: path.basename(file),
    name: operation.name!.value,
    operation,
    document,
    expected: existsSync(expectedFile) ? (JSON.parse(readFileSync(expectedFile, 'utf8')) as unknown) : undefined,
  };
});

/** The expected answer of an example, by operation name. */
function expectedAnswer(name: string): unknown {
  const example = examples.find((e) => e.name === name);
  if (!example?.expected) throw new Error(`${name} has no .expected.json`);
  return example.expected;
}

describe('example operations: generated types', () => {
  it('examples/generated/operations.ts is what codegen makes of the operations and schema/api.graphql today', async () => {
    const committed = readFileSync(path.join(projectRoot, examplePaths.generated), 'utf8');
    const generated = await generateExampleTypes(projectRoot);
    // Not toBe on 250 lines: say what to do first.
    expect(committed === generated, 'examples/generated/operations.ts is stale: run `npm run codegen` and commit it').toBe(true);
  });

  describe('codegen refuses operations that no longer fit the schema', () => {
    let root: string;
    beforeAll(() => {
      // A copy of the schema and operations, changed as a careless schema change or edit would.
      root = mkdtempSync(path.join(tmpdir(), 'examples-codegen-'));
      mkdirSync(path.join(root, 'schema'));
      cpSync(path.join(projectRoot, examplePaths.schema), path.join(root, examplePaths.schema));
      cpSync(operationsFolder, path.join(root, examplePaths.operations), { recursive: true });
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('a field renamed in the schema fails codegen, naming the operation file and the field', async () => {
      const schemaFile = path.join(root, examplePaths.schema);
      const original = readFileSync(schemaFile, 'utf8');
      const renamed = original.replace(/^(\s+)cofinancingRate: Decimal$/m, '$1cofinancingShare: Decimal');
      expect(renamed).not.toBe(original);
      writeFileSync(schemaFile, renamed);
      try {
        await expect(generateExampleTypes(root)).rejects.toThrow(/programme-finances\.graphql: Cannot query field "cofinancingRate"/);
      } finally {
        writeFileSync(schemaFile, original);
      }
      // The copy as it was generates again: the failure came from the change alone.
      await expect(generateExampleTypes(root)).resolves.toContain('export const ProgrammeFinancesDocument');
    });

    it('an unused variable, an anonymous operation or a file not named after its operation fails codegen', async () => {
      const extra = path.join(root, examplePaths.operations, 'region-code.graphql');
      const cases: [string, RegExp][] = [
        ['query RegionCode($code: ID!, $level: Int) { region(code: $code) { code } }', /region-code\.graphql: Variable "\$level" is never used/],
        ['{ region(code: "ITH5") { code } }', /region-code\.graphql: must hold exactly one named operation/],
        ['query RegionKey($code: ID!) { region(code: $code) { code } }', /holds RegionKey, so must be named region-key\.graphql/],
      ];
      try {
        for (const [text, message] of cases) {
          writeFileSync(extra, text);
          await expect(generateExampleTypes(root)).rejects.toThrow(message);
        }
      } finally {
        rmSync(extra, { force: true });
      }
    });
  });
});

describe('the README shows the example operations and their answers', () => {
  const schema = buildSchema(readFileSync(path.join(projectRoot, examplePaths.schema), 'utf8'));
  const documented = readmeOperations(readme);
  const values: Record<string, Record<string, unknown>> = readmeVariables;
  // Written in the README's prose only (Writing data), without GraphQL text to compare.
  const proseOnly = ['RegisterForEvent', 'CancelRegistration'];

  it('finds the README operations: 9 graphql blocks, 3 curl bodies, 4 seed-fact snippets', () => {
    const forms = documented.map((o) => o.form);
    expect(forms.filter((f) => f === 'graphql block')).toHaveLength(9);
    expect(forms.filter((f) => f === 'curl body')).toHaveLength(3);
    expect(forms.filter((f) => f === 'inline')).toHaveLength(4);
  });

  it('every README operation is one example operation with the README values as variables, and the reverse', () => {
    const forms = new Map(
      examples.filter((e) => !proseOnly.includes(e.name)).map((e) => {
        const given = values[e.name];
        if (!given) throw new Error(`examples/readme-variables.ts has no values for ${e.name}`);
        return [readmeForm(e.document, given, schema), e.name] as const;
      }),
    );
    const unmatchedReadme = documented.filter((o) => !forms.has(o.printed)).map((o) => `README line ${o.line} (${o.form}):\n${o.printed}`);
    expect(unmatchedReadme, 'README operations without an identical example').toEqual([]);
    const printed = new Set(documented.map((o) => o.printed));
    const unmatchedExamples = [...forms].filter(([form]) => !printed.has(form)).map(([form, name]) => `${name} as the README would show it:\n${form}`);
    expect(unmatchedExamples, 'examples the README does not show').toEqual([]);
    expect(Object.keys(values).sort()).toEqual(examples.map((e) => e.name).filter((n) => !proseOnly.includes(n)).sort());
  });

  it("every example mutation is in the README's table of writes, with the same arguments", () => {
    const signatures = readmeMutationSignatures(readme);
    const mutations = examples.filter((e) => e.operation.operation === 'mutation');
    expect(mutations.map((e) => e.name).sort()).toEqual(['CancelRegistration', 'CreateEvent', 'RegisterForEvent']);
    for (const { operation, file } of mutations) {
      for (const selection of operation.selectionSet.selections) {
        if (selection.kind !== 'Field') continue;
        const args = (selection.arguments ?? []).map((a) => a.name.value);
        expect(signatures.get(selection.name.value), `${file}: ${selection.name.value}`).toEqual(args);
      }
    }
  });

  it("the README's JSON answers are the examples' .expected.json files, and every such file is a README answer", () => {
    for (const example of examples) {
      if (proseOnly.includes(example.name)) {
        expect(example.expected, `${example.file} has no README answer to be checked against`).toBeUndefined();
        continue;
      }
      const form = readmeForm(example.document, values[example.name]!, schema);
      const shown = documented.find((o) => o.printed === form);
      expect(example.expected, `${example.file}: .expected.json against the README (line ${shown?.line})`).toEqual(shown?.answer);
    }
    // The README's answers all belong to examples (so none of them goes unchecked against the gateway).
    expect(documented.filter((o) => o.answer !== undefined)).toHaveLength(examples.filter((e) => e.expected !== undefined).length);
  });
});

describe.each(storeKinds)('the example operations through the gateway with the typed client (%s)', (kind) => {
  let stack: Stack;
  let url: string;
  beforeAll(async () => {
    stack = await startStack(kind);
    url = stack.gatewayUrl;
  });
  afterAll(() => stack?.stop());

  /** The errors and partial data of a refused operation, in the shape of a GraphQL answer. */
  async function refusal<T>(run: Promise<T>) {
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphQLRequestError);
    const { errors, data, status } = error as GraphQLRequestError<T>;
    return { answer: { errors, data }, status, data };
  }

  it('RegionWithParent (the curl example): Emilia-Romagna, in ITH', async () => {
    const data = await execute(url, RegionWithParentDocument, readmeVariables.RegionWithParent);
    expect(data.region?.parent?.code).toBe('ITH');
    expect({ data }).toEqual(expectedAnswer('RegionWithParent'));
  });

  it('EventWithAgenda: the EWRC 2024 session in Brussels time, with its agenda', async () => {
    const data = await execute(url, EventWithAgendaDocument, readmeVariables.EventWithAgenda);
    expect(data.event?.timeZone).toBe('Europe/Brussels');
    expect(data.event?.agenda.flatMap((item) => item.speakers.map((s) => s.name))).toContain('Andrew Mc Nulty');
    expect({ data }).toEqual(expectedAnswer('EventWithAgenda'));
  });

  it("ProgrammeFinances: Emilia-Romagna's programme, money as exact decimal strings", async () => {
    const data = await execute(url, ProgrammeFinancesDocument, readmeVariables.ProgrammeFinances);
    expect(data.programme?.budget).toEqual({ amount: '2232176.90', currency: 'EUR' });
    expect({ data }).toEqual(expectedAnswer('ProgrammeFinances'));
  });

  it('RegionTalentsAndEvents: three subgraphs in one query; the cursor gives the next page', async () => {
    const first = await execute(url, RegionTalentsAndEventsDocument, readmeVariables.RegionTalentsAndEvents);
    expect({ data: first }).toEqual(expectedAnswer('RegionTalentsAndEvents'));
    const talents = first.region!.talents!;
    expect(talents.pageInfo.hasNextPage).toBe(true);
    const next = await execute(url, RegionTalentsAndEventsDocument, { ...readmeVariables.RegionTalentsAndEvents, talentsAfter: talents.pageInfo.endCursor });
    const page = next.region!.talents!;
    expect(page.nodes).toHaveLength(2);
    expect(page.pageInfo.endCursor).not.toBe(talents.pageInfo.endCursor);
    // Talents living in Emilia-Romagna or one of its sub-regions, on both pages.
    for (const talent of [...talents.nodes, ...page.nodes]) expect(talent.residenceRegion?.code).toMatch(/^ITH5/);
  });

  it('RegionName: a code that is not NUTS is BAD_USER_INPUT with region null; an unknown code is null', async () => {
    const { answer, status, data } = await refusal(execute(url, RegionNameDocument, readmeVariables.RegionName));
    expect(status).toBe(200);
    expect(data?.region).toBeNull();
    expect(answer).toEqual(expectedAnswer('RegionName'));
    const unknown = await execute(url, RegionNameDocument, { code: 'ITZZZ' });
    expect(unknown.region).toBeNull();
  });

  it('more seed facts: CEMR is led by Fabrizio Rossi, Secretary General', async () => {
    const data = await execute(url, OrganisationLeadersDocument, readmeVariables.OrganisationLeaders);
    expect(data.organisation?.leaders).toContainEqual({ name: 'Fabrizio Rossi', role: 'Secretary General' });
  });

  it('more seed facts: AER, founded in 1985, has 25 member countries', async () => {
    const data = await execute(url, OrganisationKeyFiguresDocument, readmeVariables.OrganisationKeyFigures);
    expect(data.organisation?.foundedYear).toBe(1985);
    expect(data.organisation?.keyFigures).toContainEqual({ code: 'member-countries', value: '25' });
  });

  it('more seed facts: EU-Belong, AMIF-funded, started by the Intercultural Regions Network; 10 regions from 7 countries, 2 technical partners', async () => {
    const data = await execute(url, ProgrammeOriginDocument, readmeVariables.ProgrammeOrigin);
    expect(data.programme?.fundingSource).toContain('AMIF');
    expect(data.programme?.initiatedBy?.name).toBe('Intercultural Regions Network');
    expect(Object.fromEntries((data.programme?.indicators ?? []).map((i) => [i.code, i.value]))).toEqual({
      'regional-authority-partners': '10',
      'partner-countries': '7',
      'technical-partners': '2',
    });
  });

  it('more seed facts: the Talent Hub, its objectives and its partners CEMR, Eurocities and UCLG', async () => {
    const data = await execute(url, ProgrammeObjectivesDocument, readmeVariables.ProgrammeObjectives);
    expect(data.programme?.objectives).toHaveLength(3);
    for (const objective of data.programme?.objectives ?? []) expect(objective.length).toBeGreaterThan(20);
    expect(data.programme?.partners.map((p) => p.name)).toEqual([
      'Council of European Municipalities and Regions',
      'Eurocities',
      'United Cities and Local Governments World Secretariat',
    ]);
  });

  it('TalentDashboard: students per NUTS 2 region, small cells suppressed, cost per talent reached', async () => {
    const data = await execute(url, TalentDashboardDocument, readmeVariables.TalentDashboard);
    const cells = data.talentStatistics.cells;
    // The README's cells and cost.
    expect(cells).toContainEqual({ region: { code: 'ITH5', name: 'Emilia-Romagna' }, talents: 24, suppressed: false });
    expect(cells).toContainEqual({
      region: { code: 'BE10', name: 'Région de Bruxelles-Capitale/ Brussels Hoofdstedelijk Gewest' },
      talents: null,
      suppressed: true,
    });
    expect(data.programme?.kpis.costPerTalentReached).toEqual({ amount: '316.04', currency: 'EUR' });
    // No cell under 5 is shown; every cell is a NUTS 2 region (a code of 4 characters).
    for (const cell of cells) {
      expect(cell.suppressed ? cell.talents === null : (cell.talents ?? 0) >= 5, JSON.stringify(cell)).toBe(true);
      expect(cell.region?.code).toHaveLength(4);
    }
  });

  it('CreateEvent, then RegisterForEvent and CancelRegistration: capacity 2, a waitlist, a freed seat promotes it', async () => {
    const input = readmeVariables.CreateEvent.input;
    // The README's event must still lie ahead, or registering for it is refused and the README is wrong.
    expect(Date.parse(input.startsAt), `the README's createEvent example starts on ${input.startsAt}, in the past: move it later`).toBeGreaterThan(Date.now());
    const cemr = await mintToken('cemr', 'editor');

    const refused = await refusal(execute(url, CreateEventDocument, readmeVariables.CreateEvent));
    expect(refused.answer.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const { createEvent } = await execute(url, CreateEventDocument, readmeVariables.CreateEvent, cemr);
    expect(createEvent.capacity).toBe(2);
    expect({ data: { createEvent } }).toEqual(expectedAnswer('CreateEvent'));

    // "Registering three of CEMR's own talents for it gives REGISTERED, REGISTERED, then WAITLISTED 1." (The demo
    // talents cycle through cemr, eurocities and uclg: 0, 3 and 6 are CEMR's.)
    const talents = [0, 3, 6].map(syntheticTalentId);
    const register = (talentId: string) => execute(url, RegisterForEventDocument, { eventId: createEvent.id, talentId }, cemr);
    const answers: { status: string; waitlistPosition: number | null }[] = [];
    for (const talentId of talents) answers.push((await register(talentId)).registerForEvent);
    expect(answers.map((a) => a.status)).toEqual(['REGISTERED', 'REGISTERED', 'WAITLISTED']);
    expect(answers[2]).toEqual({ status: 'WAITLISTED', waitlistPosition: 1 });

    // "Cancelling one of the first two moves the waitlisted one to REGISTERED in the same transaction."
    const { cancelRegistration } = await execute(url, CancelRegistrationDocument, { eventId: createEvent.id, talentId: talents[0]! }, cemr);
    expect(cancelRegistration).toEqual({ status: 'CANCELLED', waitlistPosition: null });
    // Registering again returns the registration as it is now: the waitlisted talent holds a seat.
    const promoted = await register(talents[2]!);
    expect(promoted.registerForEvent).toEqual({ status: 'REGISTERED', waitlistPosition: null });
  });

  it('the client: errors name the code and path; a refused token is HTTP 401; an unreachable gateway is said so', async () => {
    const bad = await execute(url, RegionNameDocument, readmeVariables.RegionName).catch((e: unknown) => e);
    expect(String(bad)).toContain('GraphQLRequestError: RegionName: HTTP 200: BAD_USER_INPUT at region: Argument "code" must be');
    const forged = await mintToken('cemr', 'editor', { secret: 'not-the-gateway-secret-but-32-characters-long' });
    const { status, answer } = await refusal(execute(url, RegionNameDocument, { code: 'ITH5' }, forged));
    expect(status).toBe(401);
    expect(answer.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    // Port 9 (discard): nothing listens there on a test machine.
    await expect(execute('http://127.0.0.1:9/', RegionNameDocument, { code: 'ITH5' })).rejects.toThrow(/^RegionName: could not reach http:\/\/127\.0\.0\.1:9\//);
  });

  it("MentorMatches: CEMR's suggestions for Chidi X., best first, with the reasons; refused to anonymous callers and other organisations", async () => {
    const cemr = await mintToken('cemr', 'viewer');
    const { mentorMatches } = await execute(url, MentorMatchesDocument, readmeVariables.MentorMatches, cemr);
    // The README's three suggestions, in its order.
    expect(mentorMatches?.map((m) => [m.mentor.displayName, m.mentor.organisation?.id, m.score])).toEqual([
      ['Inês M.', 'cemr', 0.525],
      ['Zeynep Q.', 'cemr', 0.375],
      ['Andreas N.', 'cemr', 0.275],
    ]);
    const [first] = mentorMatches!;
    expect(first!.reasons.matchedSkills.map((s) => s.label)).toEqual(['organise information, objects and resources', 'solve problems']);
    expect(first!.reasons).toMatchObject({ sameRegion: true, remainingCapacity: 3 });
    expect(mentorMatches![1]!.reasons.commonLanguages).toEqual(['en']);
    // The score is the README's formula of the reasons: skills, language, place, capacity.
    for (const { score, reasons } of mentorMatches!) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1);
      const wanted = reasons.matchedSkills.length + reasons.missingSkills.length;
      expect(wanted).toBe(4);
    }
    const anonymous = await refusal(execute(url, MentorMatchesDocument, readmeVariables.MentorMatches));
    expect(anonymous.answer.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const other = await refusal(execute(url, MentorMatchesDocument, readmeVariables.MentorMatches, await mintToken('aer', 'editor')));
    expect(other.answer.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(other.data?.mentorMatches).toBeNull();
  });

  it("HostedExchanges: Eurocities' stays in 2025 for its own users; FORBIDDEN, count included, for anyone else", async () => {
    const { organisation } = await execute(url, HostedExchangesDocument, readmeVariables.HostedExchanges, await mintToken('eurocities', 'viewer'));
    const hosted = organisation!.hostedExchanges!;
    expect(hosted.totalCount).toBe(20);
    expect(hosted.nodes.map((e) => [e.kind, e.status, e.startsOn, e.endsOn, e.homeOrganisation?.id, e.talent.displayName])).toEqual([
      ['TRAINEESHIP', 'COMPLETED', '2025-01-26', '2025-06-05', 'uclg', 'Inês D.'],
      ['JOB_SHADOWING', 'COMPLETED', '2025-02-19', '2025-03-07', 'cemr', 'Pau G.'],
      ['SECONDMENT', 'COMPLETED', '2025-03-08', '2025-05-30', 'cemr', 'Ioana E.'],
    ]);
    for (const token of [undefined, await mintToken('cemr', 'admin')]) {
      const refused = await refusal(execute(url, HostedExchangesDocument, readmeVariables.HostedExchanges, token));
      expect(refused.answer.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(refused.data?.organisation?.hostedExchanges).toBeNull();
    }
  });

  it('NetworkRetention: the Talent Hub cohorts of 2024 as of 2026-11-30, with flows, for anyone; small cells withheld', async () => {
    const { networkRetention: answer } = await execute(url, NetworkRetentionDocument, readmeVariables.NetworkRetention);
    expect(answer).not.toBeNull();
    const networkRetention = answer!;
    expect(networkRetention.members.map((m) => m?.id)).toEqual(['cemr', 'eurocities', 'uclg']);
    expect(networkRetention.cohorts.map((c) => c.quarter)).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    for (const flow of networkRetention.flows) {
      expect(flow.suppressed).toBe(flow.talents === null);
      if (flow.talents !== null) expect(flow.talents).toBeGreaterThanOrEqual(networkRetention.threshold);
    }
    expect(networkRetention.flows.some((f) => f.leftNetwork) && networkRetention.flows.some((f) => f.to !== null)).toBe(true);
    expect({ data: { networkRetention } }).toEqual(expectedAnswer('NetworkRetention'));
  });

  it('SkillEvents: upcoming trainings that teach a skill and still have seats (the full one is left out)', async () => {
    const { skill } = await execute(url, SkillEventsDocument, readmeVariables.SkillEvents);
    expect(skill?.label).toBe('demonstrate intercultural competence');
    const now = Date.now();
    const events = skill!.events!;
    for (const event of events.nodes) {
      expect(Date.parse(event.startsAt)).toBeGreaterThan(now);
      expect(event.seatsLeft === null || event.seatsLeft > 0).toBe(true);
    }
    // The README's answer: the demo's upcoming trainings are placed from the day the demo data was seeded, and seats
    // left are perturbed for anyone but the organiser (within 2 of the 17 left).
    expect(events.nodes.map((e) => [e.id, e.title])).toEqual([['demo-training-29', 'Joint training: welcoming international talents']]);
    expect(Math.abs(events.nodes[0]!.seatsLeft! - 17)).toBeLessThanOrEqual(2);
  });

  it('TalentNames: givenName is FORBIDDEN to anonymous callers, with the rest of the answer; CEMR reads it', async () => {
    const { answer, data } = await refusal(execute(url, TalentNamesDocument, readmeVariables.TalentNames));
    expect(data?.talents.nodes[0]?.displayName).toBe('Matteo A.');
    expect(answer).toEqual(expectedAnswer('TalentNames'));
    const owner = await execute(url, TalentNamesDocument, readmeVariables.TalentNames, await mintToken('cemr', 'editor'));
    expect(owner.talents.nodes[0]?.givenName).toBe('Matteo');
  });
});
