import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom, syntheticUuid } from '@talent-hub/subgraph-lib/synthetic';
import { MIN_CELL_SIZE, protectTally } from '@talent-hub/subgraph-lib/disclosure';
import { errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import { talentRetention } from './db/statistics.js';
import type { TalentsDatabase } from './db/types.js';
import { DIMENSIONS, loadOracle, type Dimension, type Filter } from './testing/oracle.js';
import { talentsSubgraph } from './server.js';

// Dashboard aggregates through the subgraph's resolvers, on the seeded demo talents (300, so many groups are
// small) and, for retention, on residence histories written here. Expected values are computed independently,
// in JavaScript from the raw tables, never with the statement under test.

let subgraph: TestSubgraph<TalentsDatabase>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(talentsSubgraph);
});
afterAll(() => subgraph.stop());

const INTERCULTURAL = 'http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8';

const CELL_FIELDS = 'region { code } category citizenship skill { uri label } careerStage talents suppressed';
const STATISTICS = `query ($groupBy: [TalentDimension!]!, $regionLevel: Int, $filter: TalentFilter) {
  talentStatistics(groupBy: $groupBy, regionLevel: $regionLevel, filter: $filter) {
    groupBy regionLevel threshold cells { ${CELL_FIELDS} } } }`;

/** A cell's key in the oracle's form. */
function cellKey(cell: any, groupBy: readonly Dimension[]): string {
  const value: Record<Dimension, string | null> = {
    REGION: cell.region?.code ?? null,
    CATEGORY: cell.category,
    CITIZENSHIP: cell.citizenship,
    SKILL: cell.skill?.uri ?? null,
    CAREER_STAGE: cell.careerStage,
  };
  return groupBy.map((d) => value[d]).join('|');
}

describe('Query.talentStatistics', () => {
  it('counts talents per group, returns dimension values and Region/Skill references, in one SQL statement', async () => {
    const { result, statements } = await subgraph.countStatements(STATISTICS, {
      groupBy: ['REGION', 'SKILL'],
      regionLevel: 1,
      filter: { regionCode: 'IT' },
    });
    expect(result.errors).toBeUndefined();
    expect(statements).toBe(1);
    const stats = result.data.talentStatistics;
    expect(stats).toMatchObject({ groupBy: ['REGION', 'SKILL'], regionLevel: 1, threshold: 5 });
    expect(stats.cells.length).toBeGreaterThan(10);
    for (const cell of stats.cells) {
      expect(cell.region.code).toBe('ITH');
      expect(cell.category).toBeNull();
      if (cell.skill) expect(cell.skill.label).toEqual(expect.any(String));
    }
    const intercultural = stats.cells.find((c: any) => c.skill?.uri === INTERCULTURAL);
    expect(intercultural.skill.label).toBe('demonstrate intercultural competence');

    const { tallies } = await loadOracle(subgraph.database.db);
    const real = tallies({ regionCode: 'IT' }, ['REGION', 'SKILL'], 1);
    let perturbed = 0;
    for (const cell of stats.cells) {
      const tally = real.get(cellKey(cell, ['REGION', 'SKILL']))!;
      // The cell key method: the published value is the count shifted by the cell's key, withheld below 5.
      expect(cell.talents).toBe(protectTally(tally).value);
      if (cell.talents !== null && cell.talents !== tally.count) perturbed++;
    }
    expect(perturbed).toBeGreaterThan(0);
  });

  it('never returns a cell below 5 as a number, under any combination of filters and groupings', async () => {
    const oracle = await loadOracle(subgraph.database.db);
    const pools = {
      regionCode: [undefined, undefined, 'IT', 'ITH5', 'ITH55', 'ES51', 'IE041', 'BE', 'PL'],
      skillUri: [undefined, undefined, undefined, INTERCULTURAL],
      category: [undefined, undefined, 'STUDENT', 'RESEARCHER'],
      citizenship: [undefined, undefined, undefined, 'IT', 'NG'],
      organisationId: [undefined, undefined, 'cemr'],
    } satisfies { [K in keyof Filter]?: (string | undefined)[] };
    const languages: Filter[] = [{}, {}, { language: 'it' }, { language: 'it', minLanguageLevel: 'B2' }, { language: 'en', minLanguageLevel: 'C1' }, { language: 'pt' }];
    const joined: Filter[] = [{}, {}, { joinedFrom: '2023-06-01' }, { joinedTo: '2023-12-31' }, { joinedFrom: '2024-01-01', joinedTo: '2024-06-30' }];
    const random = createRandom(20240305);
    const combos: { filter: Filter; groupBy: Dimension[]; regionLevel: number | undefined }[] = [];
    // Every grouping without a filter, then random filters with random groupings.
    for (let mask = 1; mask < 32; mask++) {
      const groupBy = DIMENSIONS.filter((_, i) => mask & (1 << i));
      combos.push({ filter: {}, groupBy, regionLevel: groupBy.includes('REGION') ? mask % 4 : undefined });
    }
    while (combos.length < 300) {
      const filter: Filter = { ...random.pick(languages), ...random.pick(joined) };
      for (const [key, pool] of Object.entries(pools) as [keyof typeof pools, (string | undefined)[]][]) {
        const value = random.pick(pool);
        if (value !== undefined) filter[key] = value;
      }
      const groupBy = random.sample(DIMENSIONS, random.int(1, 3));
      combos.push({ filter, groupBy, regionLevel: groupBy.includes('REGION') ? random.int(0, 3) : undefined });
    }

    let suppressedCells = 0;
    let shownCells = 0;
    for (const { filter, groupBy, regionLevel } of combos) {
      const { data, errors } = await subgraph.query(STATISTICS, { groupBy, regionLevel, filter });
      const label = JSON.stringify({ filter, groupBy, regionLevel });
      expect(errors, label).toBeUndefined();
      const real = oracle.tallies(filter, groupBy, regionLevel ?? 2);
      const returned = new Set<string>();
      for (const cell of data.talentStatistics.cells) {
        const key = cellKey(cell, groupBy);
        const tally = real.get(key);
        expect(tally?.count, `${label} returned a cell without talents: ${key}`).toBeGreaterThan(0);
        returned.add(key);
        const shown = protectTally(tally!);
        if (tally!.count < MIN_CELL_SIZE || shown.suppressed) {
          expect(cell, `${label} ${key}`).toMatchObject({ talents: null, suppressed: true });
          suppressedCells++;
        } else {
          expect(Math.abs(shown.value! - tally!.count)).toBeLessThanOrEqual(2);
          expect(cell, `${label} ${key}`).toMatchObject({ talents: shown.value, suppressed: false });
          expect(cell.talents).toBeGreaterThanOrEqual(MIN_CELL_SIZE);
          shownCells++;
        }
      }
      // Every group with talents is there (so nothing is hidden by leaving it out, and nothing else is added).
      expect([...returned].sort(), label).toEqual([...real.keys()].sort());
    }
    // The combinations exercised both sides of the threshold.
    expect(suppressedCells).toBeGreaterThan(500);
    expect(shownCells).toBeGreaterThan(100);
  });

  it('refuses bad arguments with BAD_USER_INPUT saying what is wrong', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ groupBy: [] }, /at least one dimension/],
      [{ groupBy: ['CATEGORY', 'CATEGORY'] }, /names CATEGORY twice/],
      [{ groupBy: ['REGION'], regionLevel: 4 }, /NUTS level from 0 \(country\) to 3; got 4/],
      [{ groupBy: ['CATEGORY'], regionLevel: 1 }, /applies only when "groupBy" includes REGION/],
      [{ groupBy: ['CATEGORY'], filter: { skillUri: 'http://example.org/skill/1' } }, /unknown skill URI format/],
      [{ groupBy: ['CATEGORY'], filter: { minLanguageLevel: 'B2' } }, /"filter.minLanguageLevel" needs "filter.language"/],
      [{ groupBy: ['CATEGORY'], filter: { joinedFrom: '2024-02-01', joinedTo: '2024-01-01' } }, /"filter.joinedFrom" must not be after "filter.joinedTo"/],
    ];
    for (const [variables, message] of cases) {
      const result = await subgraph.query(STATISTICS, variables);
      expect(errorCodes(result), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message).toMatch(message);
    }
  });
});

// Residence histories in Norte (PT11: PT111, PT112, PT11A; no demo talent lives in Portugal), arriving from
// Galicia (ES111) or from nowhere recorded. All days are UTC calendar days.
const NORTE = 'PT11';
let nextTalent = 0;
async function talentWith(periods: [region: string, from: string, to: string | null][]): Promise<string> {
  const id = syntheticUuid('retention-test', nextTalent++);
  const db = subgraph.database.db;
  const current = periods.at(-1)!;
  await db
    .insertInto('talents')
    .values({
      id, display_name: 'Retention T.', category: 'STUDENT', citizenship: 'PT', residence_region_code: current[2] === null ? current[0] : 'ES111',
      origin_region_code: periods[0]![0], organisation_id: 'cemr', education_level: 6, career_stage: 'EARLY_CAREER',
      interests: [], status: 'ACTIVE', joined_on: periods[0]![1], synthetic: true, public_profile: true,
    })
    .execute();
  // Record key 0: every cohort of these talents has cell key 0, which the perturbation table shifts by 0, so the
  // cohorts below read as their exact counts (the perturbation itself is tested on the demo data above).
  await sql`update talents set record_key = 0 where id = ${id}`.execute(db);
  await db
    .insertInto('residence_periods')
    .values(periods.map(([region_code, started_on, ended_on]) => ({ talent_id: id, region_code, started_on, ended_on })))
    .execute();
  return id;
}

const day = (base: string, days: number) => new Date(Date.parse(`${base}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const RETENTION = `query ($region: ID!, $from: String, $to: String, $asOf: Date) {
  talentRetention(regionCode: $region, fromQuarter: $from, toQuarter: $to, asOf: $asOf) {
    region { code } asOf threshold
    cohorts { quarter startsOn arrivals suppressed retained6Months retained6MonthsStatus retained12Months retained12MonthsStatus } } }`;

describe('Query.talentRetention', () => {
  beforeAll(async () => {
    // 2024-Q1: 20 arrivals in Norte. 10 stay (one of them moves on within Norte, one arrived with no earlier
    // period, one left in February and came back in March: counted once), 5 leave after 4 months, 5 after 9.
    for (let i = 0; i < 7; i++) await talentWith([['ES111', '2020-01-01', day('2024-01-09', i * 7)], ['PT111', day('2024-01-10', i * 7), null]]);
    await talentWith([['ES111', '2020-01-01', '2024-01-31'], ['PT111', '2024-02-01', '2024-05-31'], ['PT112', '2024-06-01', null]]);
    await talentWith([['PT11A', '2024-03-31', null]]);
    await talentWith([['ES111', '2020-01-01', '2024-01-04'], ['PT111', '2024-01-05', '2024-01-31'], ['ES111', '2024-02-01', '2024-02-29'], ['PT111', '2024-03-01', null]]);
    for (let i = 0; i < 5; i++) await talentWith([['ES111', '2020-01-01', '2024-01-14'], ['PT112', '2024-01-15', '2024-05-14'], ['ES111', '2024-05-15', null]]);
    for (let i = 0; i < 5; i++) await talentWith([['ES111', '2020-01-01', '2024-02-19'], ['PT112', '2024-02-20', '2024-11-19'], ['ES111', '2024-11-20', null]]);
    // Not arrivals in Norte in 2024-Q1: a move within Norte, a move to Lisbon's region, an arrival on 2023-12-31.
    await talentWith([['PT111', '2022-01-01', '2024-02-09'], ['PT112', '2024-02-10', null]]);
    await talentWith([['ES111', '2020-01-01', '2024-02-09'], ['PT1A0', '2024-02-10', null]]);
    await talentWith([['ES111', '2020-01-01', '2023-12-30'], ['PT111', '2023-12-31', null]]);
    // 2024-Q2: 3 arrivals. 2024-Q3: 8 arrivals who all stay. 2024-Q4: 10 arrivals, too recent.
    for (let i = 0; i < 3; i++) await talentWith([['ES111', '2020-01-01', '2024-04-30'], ['PT111', '2024-05-01', null]]);
    for (let i = 0; i < 8; i++) await talentWith([['ES111', '2020-01-01', day('2024-07-01', i)], ['PT111', day('2024-07-02', i), null]]);
    for (let i = 0; i < 10; i++) await talentWith([['ES111', '2020-01-01', '2024-11-30'], ['PT11A', '2024-12-01', null]]);
  });

  it('gives arrivals and shares retained, suppressing small cohorts, revealing shares and unobserved horizons', async () => {
    const { result, statements } = await subgraph.countStatements(RETENTION, { region: NORTE, from: '2023-Q4', to: '2024-Q4', asOf: '2025-03-31' });
    expect(result.errors).toBeUndefined();
    expect(statements).toBe(1);
    const retention = result.data.talentRetention;
    expect(retention).toMatchObject({ region: { code: NORTE }, asOf: '2025-03-31', threshold: 5 });
    expect(retention.cohorts).toEqual([
      // One arrival (2023-12-31): suppressed, and so are its shares.
      { quarter: '2023-Q4', startsOn: '2023-10-01', arrivals: null, suppressed: true, retained6Months: null, retained6MonthsStatus: 'SUPPRESSED', retained12Months: null, retained12MonthsStatus: 'SUPPRESSED' },
      // 20 arrivals; 15 there after 6 months (5 left), 10 after 12 months.
      { quarter: '2024-Q1', startsOn: '2024-01-01', arrivals: 20, suppressed: false, retained6Months: '0.7500', retained6MonthsStatus: 'AVAILABLE', retained12Months: '0.5000', retained12MonthsStatus: 'AVAILABLE' },
      { quarter: '2024-Q2', startsOn: '2024-04-01', arrivals: null, suppressed: true, retained6Months: null, retained6MonthsStatus: 'SUPPRESSED', retained12Months: null, retained12MonthsStatus: 'SUPPRESSED' },
      // 8 arrivals all stayed: a share of 1 would say that none of the 8 left (fewer than 5 left), so it is
      // withheld; 12 months after 2024-09-30 is after the as-of day.
      { quarter: '2024-Q3', startsOn: '2024-07-01', arrivals: 8, suppressed: false, retained6Months: null, retained6MonthsStatus: 'SUPPRESSED', retained12Months: null, retained12MonthsStatus: 'NOT_YET_OBSERVABLE' },
      { quarter: '2024-Q4', startsOn: '2024-10-01', arrivals: 10, suppressed: false, retained6Months: null, retained6MonthsStatus: 'NOT_YET_OBSERVABLE', retained12Months: null, retained12MonthsStatus: 'NOT_YET_OBSERVABLE' },
    ]);
    // The 6-month horizon of 2024-Q3 ends on 2025-03-30: a day earlier, it is not observable yet.
    const earlier = await subgraph.query(RETENTION, { region: NORTE, from: '2024-Q3', to: '2024-Q3', asOf: '2025-03-29' });
    expect(earlier.data.talentRetention.cohorts[0].retained6MonthsStatus).toBe('NOT_YET_OBSERVABLE');
  });

  it('agrees with an independent computation for regions at every level, and defaults the range around asOf', async () => {
    const db = subgraph.database.db;
    const periods = await db.selectFrom('residence_periods').selectAll().orderBy('talent_id').orderBy('started_on').execute();
    const byTalent = new Map<string, typeof periods>();
    for (const p of periods) byTalent.set(p.talent_id, [...(byTalent.get(p.talent_id) ?? []), p]);
    const addMonths = (d: string, months: number) => {
      const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
      const target = new Date(Date.UTC(y, m - 1 + months, 1));
      const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(dd, last))).toISOString().slice(0, 10);
    };
    const quarterStart = (d: string) => `${d.slice(0, 4)}-${String(Math.floor((Number(d.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
    const expected = (region: string, from: string, to: string) => {
      const cohorts = new Map<string, { arrivals: number; r6: number; r12: number }>();
      for (let q = from; q <= to; q = addMonths(q, 3)) cohorts.set(q, { arrivals: 0, r6: 0, r12: 0 });
      for (const list of byTalent.values()) {
        const seen = new Set<string>();
        list.forEach((p, i) => {
          const q = quarterStart(p.started_on);
          const previous = list[i - 1];
          if (!p.region_code.startsWith(region) || !cohorts.has(q) || seen.has(q)) return;
          if (previous && previous.region_code.startsWith(region)) return;
          seen.add(q);
          const there = (d: string) => list.some((s) => s.region_code.startsWith(region) && s.started_on <= d && (s.ended_on === null || s.ended_on >= d));
          const c = cohorts.get(q)!;
          c.arrivals++;
          if (there(addMonths(p.started_on, 6))) c.r6++;
          if (there(addMonths(p.started_on, 12))) c.r12++;
        });
      }
      return [...cohorts.entries()].map(([q, c]) => ({ starts_on: q, arrivals: c.arrivals, retained_6: c.r6, retained_12: c.r12 }));
    };
    for (const regionCode of ['PT', 'PT1', NORTE, 'PT111', 'PT112', 'PT11A', 'ES111', 'IT', 'ITH5', 'ITH55', 'IE041']) {
      const rows = await talentRetention(db, { regionCode, fromQuarter: '2019-01-01', toQuarter: '2025-10-01', asOf: '2025-12-31' });
      expect(rows.map(({ starts_on, arrivals, retained_6, retained_12 }) => ({ starts_on, arrivals, retained_6, retained_12 })), regionCode).toEqual(
        expected(regionCode, '2019-01-01', '2025-10-01'),
      );
    }
    // A move within Norte is an arrival in the sub-region it leads to (PT112 in 2024-Q1: the mover and the
    // ten arrivals from Galicia).
    const pt112 = await talentRetention(db, { regionCode: 'PT112', fromQuarter: '2024-01-01', toQuarter: '2024-01-01', asOf: '2025-12-31' });
    expect(pt112[0]!.arrivals).toBe(11);

    // Without a range: the 8 quarters up to the as-of day's.
    const { data } = await subgraph.query(RETENTION, { region: NORTE, asOf: '2024-05-15' });
    expect(data.talentRetention.cohorts.map((c: any) => c.quarter)).toEqual(
      ['2022-Q3', '2022-Q4', '2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4', '2024-Q1', '2024-Q2'],
    );
  });

  it('refuses malformed regions, quarters and ranges with BAD_USER_INPUT', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ region: 'Norte' }, /"regionCode" must be a NUTS 2024 code/],
      [{ region: NORTE, from: '2024Q1' }, /"fromQuarter" must be a quarter such as "2024-Q1"/],
      [{ region: NORTE, to: '2024-Q5' }, /"toQuarter" must be a quarter/],
      [{ region: NORTE, from: '2024-Q3', to: '2024-Q1' }, /"fromQuarter" must not be after "toQuarter"/],
      [{ region: NORTE, from: '2000-Q1', to: '2024-Q1' }, /span 97 quarters; at most 40/],
      [{ region: NORTE, asOf: '2024-02-30' }, /"\$asOf".*Date must be a day that exists in the calendar/],
    ];
    for (const [variables, message] of cases) {
      const result = await subgraph.query(RETENTION, variables);
      expect(errorCodes(result), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message).toMatch(message);
    }
  });
});
