import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_CELL_SIZE, protectTally, protectTallyShare, type Tally } from '@talent-hub/subgraph-lib/disclosure';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { caller, errorCodes } from '@talent-hub/subgraph-lib/testing/subgraph';
import { affiliationsVersion } from './db/network-retention.js';
import { DEMO_AS_OF } from './seed/synthetic.js';
import { DEMO_NETWORKS, DEMO_ORGANISATIONS, startTalents, type TalentsUnderTest } from './testing/subgraph.js';

// networkRetention and Talent.affiliations. Expected figures come from an oracle written here in JavaScript over
// the raw affiliation rows (never from the statement under test), and from a small hand-made network whose answer
// is worked out by hand.

let t: TalentsUnderTest;
beforeAll(async () => {
  t = await startTalents();
});
afterAll(() => t.stop());

const RETENTION = `query ($networkId: ID!, $from: String, $to: String, $asOf: Date) {
  networkRetention(networkId: $networkId, fromQuarter: $from, toQuarter: $to, asOf: $asOf) {
    network { id } members { id } asOf threshold
    cohorts { quarter startsOn joiners suppressed retained6Months retained6MonthsStatus retained12Months
      retained12MonthsStatus retained24Months retained24MonthsStatus }
    flows { from { id } to { id } leftNetwork talents suppressed } } }`;

interface Row { talent_id: string; organisation_id: string; started_on: string; ended_on: string | null }
const DAY = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const addMonths = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
  // PostgreSQL's date + interval: the same day of the month, or the month's last day.
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.toISOString().slice(0, 10);
};
const quarterStart = (day: string) => `${day.slice(0, 4)}-${String(Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
const covers = (r: Row, day: string) => r.started_on <= day && (r.ended_on === null || r.ended_on >= day);

/** The cohorts and flows as the schema describes them, from the raw rows, with the record-key sums of each count. */
function oracle(rows: readonly Row[], members: readonly string[], from: string, to: string, asOf: string, keyOf: (talentId: string) => number) {
  const ofMember = rows.filter((r) => members.includes(r.organisation_id));
  const byTalent = new Map<string, Row[]>();
  for (const r of ofMember) byTalent.set(r.talent_id, [...(byTalent.get(r.talent_id) ?? []), r]);
  const end = addMonths(to, 3);
  const cohorts = new Map<string, { joiners: number; joinersKey: number; r: Record<number, number>; rKey: Record<number, number> }>();
  for (const [talentId, periods] of byTalent) {
    const seen = new Set<string>();
    for (const p of [...periods].sort((a, b) => a.started_on.localeCompare(b.started_on))) {
      if (p.started_on < from || p.started_on >= end) continue;
      if (periods.some((o) => o.started_on < p.started_on && covers(o, addDays(p.started_on, -1)))) continue;
      const q = quarterStart(p.started_on);
      if (seen.has(q)) continue;
      seen.add(q);
      const c = cohorts.get(q) ?? { joiners: 0, joinersKey: 0, r: { 6: 0, 12: 0, 24: 0 }, rKey: { 6: 0, 12: 0, 24: 0 } };
      c.joiners++;
      c.joinersKey += keyOf(talentId);
      for (const m of [6, 12, 24]) {
        if (periods.some((o) => covers(o, addMonths(p.started_on, m)))) {
          c.r[m]!++;
          c.rKey[m]! += keyOf(talentId);
        }
      }
      cohorts.set(q, c);
    }
  }
  const flows = new Map<string, Tally>();
  for (const d of ofMember) {
    if (d.ended_on === null || d.ended_on < from || d.ended_on >= end || addMonths(d.ended_on, 6) > asOf) continue;
    const candidates = (byTalent.get(d.talent_id) ?? []).filter(
      (b) => b.started_on <= addMonths(d.ended_on!, 6) && (b.ended_on === null || b.ended_on > d.ended_on!),
    );
    const next = addDays(d.ended_on, 1);
    candidates.sort((a, b) => Number(a.started_on > next) - Number(b.started_on > next) || a.started_on.localeCompare(b.started_on) || a.organisation_id.localeCompare(b.organisation_id));
    const dest = candidates[0]?.organisation_id ?? null;
    if (dest === d.organisation_id) continue;
    const key = `${d.organisation_id}>${dest ?? ''}`;
    const tally = flows.get(key) ?? { count: 0, keySum: 0 };
    flows.set(key, { count: tally.count + 1, keySum: tally.keySum + keyOf(d.talent_id) });
  }
  return { cohorts, flows };
}

const expectedShare = (joiners: Tally, retained: Tally, quarter: string, months: number, asOf: string) => {
  if (protectTally(joiners).suppressed) return { value: null, status: 'SUPPRESSED' };
  if (addMonths(addDays(addMonths(quarter, 3), -1), months) > asOf) return { value: null, status: 'NOT_YET_OBSERVABLE' };
  const share = protectTallyShare(retained, joiners);
  return { value: share.value, status: share.suppressed ? 'SUPPRESSED' : 'AVAILABLE' };
};

/** Each talent's record key, read from the table (the cell key method's input). */
async function recordKeys(): Promise<(talentId: string) => number> {
  const { rows } = await sql<{ id: string; record_key: number }>`select id, record_key from talents`.execute(t.database.db);
  const keys = new Map(rows.map((r) => [r.id, Number(r.record_key)]));
  return (talentId) => keys.get(talentId)!;
}

async function allAffiliations(): Promise<Row[]> {
  const { rows } = await sql<Row>`select talent_id, organisation_id, to_char(started_on, 'YYYY-MM-DD') as started_on,
      to_char(ended_on, 'YYYY-MM-DD') as ended_on from affiliations`.execute(t.database.db);
  return rows;
}

describe('Query.networkRetention', () => {
  it('gives the Talent Hub cohorts and flows of the demo data as the oracle computes them, small cells suppressed', async () => {
    const result = await t.query(RETENTION, { networkId: 'talent-hub', from: '2023-Q1', to: '2025-Q4', asOf: DEMO_AS_OF });
    expect(result.errors).toBeUndefined();
    const answer = result.data.networkRetention;
    expect(answer.network).toEqual({ id: 'talent-hub' });
    expect(answer.members).toEqual([{ id: 'cemr' }, { id: 'eurocities' }, { id: 'uclg' }]);
    expect(answer.threshold).toBe(MIN_CELL_SIZE);
    expect(answer.cohorts).toHaveLength(12);

    const expected = oracle(await allAffiliations(), DEMO_NETWORKS['talent-hub']!, '2023-01-01', '2025-10-01', DEMO_AS_OF, await recordKeys());
    let shown = 0;
    for (const cohort of answer.cohorts) {
      const c = expected.cohorts.get(cohort.startsOn) ?? { joiners: 0, joinersKey: 0, r: { 6: 0, 12: 0, 24: 0 }, rKey: { 6: 0, 12: 0, 24: 0 } };
      const joiners = { count: c.joiners, keySum: c.joinersKey };
      // The cell key method: perturbed by at most 2, withheld when resting on fewer than 5 talents.
      expect(cohort.suppressed).toBe(protectTally(joiners).suppressed);
      expect(cohort.joiners).toBe(protectTally(joiners).value);
      if (c.joiners < MIN_CELL_SIZE) expect(cohort.suppressed).toBe(true);
      else if (!cohort.suppressed) expect(Math.abs(cohort.joiners - c.joiners)).toBeLessThanOrEqual(2);
      for (const m of [6, 12, 24] as const) {
        const share = expectedShare(joiners, { count: c.r[m]!, keySum: c.rKey[m]! }, cohort.startsOn, m, DEMO_AS_OF);
        expect([cohort[`retained${m}Months`], cohort[`retained${m}MonthsStatus`]], `${cohort.quarter} ${m}`).toEqual([share.value, share.status]);
        if (share.status === 'AVAILABLE') shown++;
      }
    }
    // The demo data is there to be looked at: most cohorts and some shares are large enough to show.
    expect(answer.cohorts.filter((c: any) => !c.suppressed).length).toBeGreaterThanOrEqual(6);
    expect(shown).toBeGreaterThanOrEqual(6);

    const flows = new Map<string, number | null>(answer.flows.map((f: any) => [`${f.from.id}>${f.to?.id ?? ''}`, f.talents]));
    expect(new Set(flows.keys())).toEqual(new Set(expected.flows.keys()));
    for (const [key, tally] of expected.flows) expect(flows.get(key), key).toBe(protectTally(tally).value);
    for (const f of answer.flows) expect(f.leftNetwork).toBe(f.to === null);
    // Shown flows largest first, suppressed ones after them.
    const sizes = answer.flows.map((f: any) => f.talents ?? -1);
    expect(sizes).toEqual([...sizes].sort((a: number, b: number) => b - a));
    expect(answer.flows.some((f: any) => f.leftNetwork && !f.suppressed)).toBe(true);
    expect(answer.flows.some((f: any) => !f.leftNetwork && !f.suppressed)).toBe(true);
  });

  it('counts joining, moving inside the network, coming back and leaving as the schema says (a hand-made network)', async () => {
    DEMO_ORGANISATIONS.push('test-org-a', 'test-org-b', 'test-org-c', 'test-net');
    DEMO_NETWORKS['test-net'] = ['test-org-a', 'test-org-b'];
    const talent = (i: number) => syntheticTalentId(200 + i);
    const rows: Row[] = [];
    // Six talents join test-org-a in 2024-Q1 and stay 20 months: a cohort of 6, 6 retained after 6 and 12 months.
    for (let i = 0; i < 6; i++) rows.push({ talent_id: talent(i), organisation_id: 'test-org-a', started_on: '2024-01-15', ended_on: '2025-09-15' });
    // Five of them move on to test-org-b the day after: that is no joining, and still retained after 24 months.
    for (let i = 0; i < 5; i++) rows.push({ talent_id: talent(i), organisation_id: 'test-org-b', started_on: '2025-09-16', ended_on: null });
    // The sixth goes to test-org-c, outside the network: it left (2025-Q3, flow test-org-a > out, suppressed: 1).
    rows.push({ talent_id: talent(5), organisation_id: 'test-org-c', started_on: '2025-09-16', ended_on: null });
    // A seventh joins twice in 2024-Q2 (a gap of a week): counted once, from the first time; retained at 6 months
    // (2024-10-05 is covered by the second period), not at 12.
    rows.push({ talent_id: talent(6), organisation_id: 'test-org-b', started_on: '2024-04-05', ended_on: '2024-04-20' });
    rows.push({ talent_id: talent(6), organisation_id: 'test-org-b', started_on: '2024-04-28', ended_on: '2024-12-31' });
    await t.database.db.insertInto('affiliations').values(rows.map((r) => ({ ...r, role: 'Trainee', synthetic: true }))).execute();
    // Record keys 0: every count of these talents has cell key 0, which the perturbation table shifts by 0, so the
    // figures below are the exact ones worked out by hand (the perturbation is checked on the demo data above).
    const keys = Array.from({ length: 7 }, (_, i) => talent(i));
    const { rows: before } = await sql<{ id: string; record_key: number }>`select id, record_key from talents where id in (${sql.join(keys)})`.execute(t.database.db);
    await sql`update talents set record_key = 0 where id in (${sql.join(keys)})`.execute(t.database.db);
    try {
      const result = await t.query(RETENTION, { networkId: 'test-net', from: '2024-Q1', to: '2025-Q3', asOf: '2026-11-30' });
      expect(result.errors).toBeUndefined();
      const { cohorts, flows, members } = result.data.networkRetention;
      expect(members).toEqual([{ id: 'test-org-a' }, { id: 'test-org-b' }]);
      expect(cohorts.map((c: any) => c.quarter)).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3']);
      // 6 joiners, all still there after 6, 12 and 24 months: a share of 1 would say that 0 left, a group below 5.
      expect(cohorts[0]).toMatchObject({ joiners: 6, suppressed: false, retained6MonthsStatus: 'SUPPRESSED', retained24MonthsStatus: 'SUPPRESSED' });
      expect(cohorts[1]).toMatchObject({ joiners: null, suppressed: true });
      expect(cohorts.slice(2).every((c: any) => c.suppressed && c.joiners === null)).toBe(true);
      // Five moved a > b (shown), one left (suppressed). The seventh came back to test-org-b within a week (no
      // departure) and left the network at the end of 2024 (suppressed).
      expect(flows).toEqual([
        { from: { id: 'test-org-a' }, to: { id: 'test-org-b' }, leftNetwork: false, talents: 5, suppressed: false },
        { from: { id: 'test-org-a' }, to: null, leftNetwork: true, talents: null, suppressed: true },
        { from: { id: 'test-org-b' }, to: null, leftNetwork: true, talents: null, suppressed: true },
      ]);
      const oracleView = oracle(rows, ['test-org-a', 'test-org-b'], '2024-01-01', '2025-07-01', '2026-11-30', () => 0);
      expect(oracleView.cohorts.get('2024-01-01')).toMatchObject({ joiners: 6, r: { 6: 6, 12: 6, 24: 5 } });
      expect(oracleView.cohorts.get('2024-04-01')).toMatchObject({ joiners: 1, r: { 6: 1, 12: 0, 24: 0 } });
      // Flows need 6 months after a departure: as of 2025-12-31 the September moves are not counted yet.
      const early = await t.query(RETENTION, { networkId: 'test-net', from: '2024-Q1', to: '2025-Q3', asOf: '2025-12-31' });
      expect(early.data.networkRetention.flows.map((f: any) => f.from.id)).toEqual(['test-org-b']);
    } finally {
      await sql`delete from affiliations where organisation_id like 'test-org-%'`.execute(t.database.db);
      for (const row of before) await sql`update talents set record_key = ${row.record_key} where id = ${row.id}`.execute(t.database.db);
    }
  });

  it('asks regions for the members once a minute, and refuses unknown networks, non-networks and bad ranges clearly', async () => {
    const before = t.peers.calls.filter((c) => c.subgraph === 'regions').length;
    await t.query(RETENTION, { networkId: 'aer' });
    await t.query(RETENTION, { networkId: 'aer', from: '2024-Q1', to: '2024-Q4' });
    expect(t.peers.calls.filter((c) => c.subgraph === 'regions').length - before).toBe(1);

    const unknown = await t.query(RETENTION, { networkId: 'no-such-network' });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.errors![0]!.extensions!.argumentName).toBe('networkId');
    const notNetwork = await t.query(RETENTION, { networkId: 'art-er' });
    expect(errorCodes(notNetwork)).toEqual(['BAD_USER_INPUT']);
    expect(notNetwork.errors![0]!.message).toMatch(/kind NETWORK/);
    expect(errorCodes(await t.query(RETENTION, { networkId: 'Not A Slug' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.query(RETENTION, { networkId: 'talent-hub', from: '2024-Q5' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.query(RETENTION, { networkId: 'talent-hub', from: '2015-Q1', to: '2025-Q1' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.query(RETENTION, { networkId: 'talent-hub', from: '2025-Q1', to: '2024-Q1' }))).toEqual(['BAD_USER_INPUT']);

    t.peers.regionsDown = true;
    try {
      expect(errorCodes(await t.query(RETENTION, { networkId: 'aer-irn' }))).toEqual(['SERVICE_UNAVAILABLE']);
      // Only the field is lost: the rest of the answer stays.
      const mixed = await t.query(`{ networkRetention(networkId: "aer-irn") { threshold } talents(first: 1) { nodes { id } } }`);
      expect(errorCodes(mixed)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(mixed.data.networkRetention).toBeNull();
      expect(mixed.data.talents.nodes).toHaveLength(1);
    } finally {
      t.peers.regionsDown = false;
    }
  });

  it('counts in three SQL statements whatever the range, then answers in one until an affiliation changes', async () => {
    await t.query(RETENTION, { networkId: 'talent-hub' }); // members now known
    const short = await t.countStatements(RETENTION, { networkId: 'talent-hub', from: '2024-Q1', to: '2024-Q1', asOf: '2026-11-30' }, null);
    const long = await t.countStatements(RETENTION, { networkId: 'talent-hub', from: '2016-Q1', to: '2025-Q4', asOf: '2026-11-30' }, null);
    expect([short.statements, long.statements]).toEqual([3, 3]);
    const again = await t.countStatements(RETENTION, { networkId: 'talent-hub', from: '2024-Q1', to: '2024-Q1', asOf: '2026-11-30' }, null);
    expect(again.statements).toBe(1);
    expect(again.result).toEqual(short.result);
    const joiners = short.result.data.networkRetention.cohorts[0].joiners;
    expect(joiners).toBeGreaterThanOrEqual(MIN_CELL_SIZE + 5);

    // Five of the quarter's CEMR joiners are moved to a non-member: the next answer counts again, and shows it.
    const db = t.database.db;
    const moved = await db.selectFrom('affiliations').select(['talent_id', 'started_on']).where('organisation_id', '=', 'cemr')
      .where('started_on', '>=', '2024-01-01').where('started_on', '<=', '2024-03-31').orderBy('talent_id').limit(5).execute();
    const keys = (org: string) => moved.map((m) => sql`(talent_id = ${m.talent_id} and organisation_id = ${org} and started_on = ${m.started_on})`);
    await sql`update affiliations set organisation_id = 'art-er' where ${sql.join(keys('cemr'), sql` or `)}`.execute(db);
    try {
      const after = await t.countStatements(RETENTION, { networkId: 'talent-hub', from: '2024-Q1', to: '2024-Q1', asOf: '2026-11-30' }, null);
      expect(after.statements).toBe(3);
      expect(after.result.data.networkRetention.cohorts[0].joiners).toBeLessThan(joiners);
    } finally {
      await sql`update affiliations set organisation_id = 'cemr' where ${sql.join(keys('art-er'), sql` or `)}`.execute(db);
    }
    const restored = await t.query(RETENTION, { networkId: 'talent-hub', from: '2024-Q1', to: '2024-Q1', asOf: '2026-11-30' });
    expect(restored).toEqual(short.result);
  });
});

describe('Talent.affiliations', () => {
  const PAGE = `query ($first: Int) { talents(first: $first) { nodes { id organisation { id } affiliations { organisation { id } role from to } } } }`;

  it('gives each talent its history, oldest first, to its own organisation only; others get null and FORBIDDEN', async () => {
    const id = syntheticTalentId(0); // a cemr talent
    const query = `query ($id: ID!) { talent(id: $id) { id affiliations { organisation { id } role from to } } }`;
    const own = await t.query(query, { id }, caller('cemr', 'viewer'));
    expect(own.errors).toBeUndefined();
    const rows = (await allAffiliations()).filter((r) => r.talent_id === id).sort((a, b) => a.started_on.localeCompare(b.started_on));
    expect(rows.length).toBeGreaterThan(0);
    expect(own.data.talent.affiliations).toEqual(rows.map((r) => expect.objectContaining({ organisation: { id: r.organisation_id }, from: r.started_on, to: r.ended_on })));
    expect(own.data.talent.affiliations[0].organisation).toEqual({ id: 'cemr' });

    for (const other of [caller('uclg', 'admin'), null]) {
      const answer = await t.query(query, { id }, other);
      expect(answer.data.talent).toEqual({ id, affiliations: null });
      expect(errorCodes(answer)).toEqual(['FORBIDDEN']);
    }
  });

  it('reads the affiliations of a page of talents in one statement, whatever the page size', async () => {
    const reader = caller('eurocities', 'viewer');
    const few = await t.countStatements(PAGE, { first: 20 }, reader);
    const many = await t.countStatements(PAGE, { first: 100 }, reader);
    expect(many.result.errors?.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    // Some talents of each page are eurocities' own: their affiliations are read, in one statement for the page.
    expect(few.result.data.talents.nodes.some((n: any) => n.affiliations !== null)).toBe(true);
    expect(few.statements).toBeLessThanOrEqual(4);
    expect(many.statements).toBe(few.statements);
  });

  it('goes with the talent when it is erased', async () => {
    const id = syntheticTalentId(3); // cemr
    expect((await allAffiliations()).some((r) => r.talent_id === id)).toBe(true);
    const version = () => affiliationsVersion(t.database.db);
    const before = await version();
    const erased = await t.query(`mutation ($id: ID!) { eraseTalent(id: $id) { talentId } }`, { id }, caller('cemr', 'editor'));
    expect(erased.errors).toBeUndefined();
    expect((await allAffiliations()).some((r) => r.talent_id === id)).toBe(false);
    // The cascade moved the write counter, so no kept networkRetention answer still counts the erased talent.
    expect(await version()).not.toBe(before);
  });
});
