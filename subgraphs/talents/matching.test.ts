import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, errorCodes } from '@talent-hub/subgraph-lib/testing/subgraph';
import { mentorMatches, menteeWants } from './db/matching.js';
import { addYears } from './mentoring-input.js';
import { partsOf, sameZoneCountries, scoreMatch } from './matching.js';
import { startTalents, type TalentsUnderTest } from './testing/subgraph.js';
import { ok, SKILLS, talentMaker } from './testing/mentoring.js';

// Mentor matching: the score as a pure function, the time-zone table, then Query.mentorMatches on the seeded
// subgraph with mentors made for the test: who is a candidate, the ranking, the reasons, who may ask, and the cost.

describe('scoreMatch', () => {
  const base = { matchedSkills: 0, wantedSkills: 4, commonLanguages: 0, sameRegion: false, sameCountry: false, sameTimeZone: false, remainingCapacity: 1, capacity: 2 };

  it('weighs skills 0.5, language 0.2, place 0.2 (region 1, country 0.75, time zone 0.5) and capacity 0.1', () => {
    expect(scoreMatch({ ...base, matchedSkills: 4, commonLanguages: 1, sameRegion: true, sameCountry: true, sameTimeZone: true, remainingCapacity: 2 })).toBeCloseTo(1, 12);
    expect(scoreMatch({ ...base, remainingCapacity: 0 })).toBe(0);
    expect(scoreMatch({ ...base, matchedSkills: 2 })).toBeCloseTo(0.25 + 0.05, 12);
    expect(scoreMatch({ ...base, commonLanguages: 3 })).toBeCloseTo(0.2 + 0.05, 12);
    expect(scoreMatch({ ...base, sameRegion: true, sameCountry: true, sameTimeZone: true })).toBeCloseTo(0.2 + 0.05, 12);
    expect(scoreMatch({ ...base, sameCountry: true, sameTimeZone: true })).toBeCloseTo(0.15 + 0.05, 12);
    expect(scoreMatch({ ...base, sameTimeZone: true })).toBeCloseTo(0.1 + 0.05, 12);
  });

  it('gives no skill part when nothing is wanted, and ranks the less busy of two equal mentors first', () => {
    expect(scoreMatch({ ...base, wantedSkills: 0, matchedSkills: 0, remainingCapacity: 2 })).toBeCloseTo(0.1, 12);
    expect(scoreMatch({ ...base, remainingCapacity: 2 })).toBeGreaterThan(scoreMatch(base));
  });
});

describe('the time-zone table', () => {
  it('groups countries by standard time, NUTS codes as given (EL for Greece)', () => {
    expect(sameZoneCountries('ITH55')).toEqual(expect.arrayContaining(['IT', 'ES', 'PL', 'BE', 'DE', 'FR']));
    expect(sameZoneCountries('ITH55')).not.toEqual(expect.arrayContaining(['PT']));
    expect(sameZoneCountries('IE041').sort()).toEqual(['IE', 'IS', 'PT', 'UK']);
    expect(sameZoneCountries('EL303')).toEqual(expect.arrayContaining(['EL', 'FI', 'RO', 'BG']));
    expect(sameZoneCountries('XX1')).toEqual(['XX']);
    expect(sameZoneCountries(null)).toEqual([]);
  });

  it('(exchanges) two years later, as PostgreSQL counts them', () => {
    expect(addYears('2024-02-29', 2)).toBe('2026-02-28');
    expect(addYears('2025-06-30', 2)).toBe('2027-06-30');
  });
});

describe('Query.mentorMatches', () => {
  let t: TalentsUnderTest;
  let make: ReturnType<typeof talentMaker>;
  const [S1, S2, S3] = [SKILLS[60]!, SKILLS[61]!, SKILLS[62]!];
  const ids: Record<string, string> = {};
  const cemr = caller('cemr', 'editor');
  const MATCHES = `query ($menteeId: ID!, $first: Int) { mentorMatches(menteeId: $menteeId, first: $first) {
    mentor { id displayName } score reasons { matchedSkills { uri label } missingSkills { uri } commonLanguages
    sameRegion sameCountry sameTimeZone remainingCapacity } } }`;

  beforeAll(async () => {
    t = await startTalents();
    make = talentMaker(t);
    const skills = (levels: Record<string, string>) => Object.entries(levels).map(([skillUri, level]) => ({ skillUri, level }));
    const mentor = (org: string, input: Record<string, unknown>) => make.talent(org, { mentoringCapacity: 2, ...input });
    ids.best = await mentor('cemr', { residenceRegionCode: 'ITH54', languages: [{ language: 'it', level: 'C2' }], skills: skills({ [S1]: 'ADVANCED', [S2]: 'INTERMEDIATE', [S3]: 'EXPERT' }) });
    ids.country = await mentor('cemr', { mentoringCapacity: 3, residenceRegionCode: 'ITC11', languages: [{ language: 'en-GB', level: 'B2' }], skills: skills({ [S1]: 'ADVANCED', [S2]: 'BASIC' }) });
    ids.zone = await mentor('cemr', { mentoringCapacity: 1, residenceRegionCode: 'PL911', languages: [{ language: 'fr', level: 'C1' }], skills: skills({ [S1]: 'EXPERT', [S2]: 'EXPERT', [S3]: 'EXPERT' }) });
    ids.busy = await mentor('cemr', { mentoringCapacity: 4, residenceRegionCode: 'PT170', languages: [{ language: 'it', level: 'B1' }] });
    ids.full = await mentor('cemr', { mentoringCapacity: 1, residenceRegionCode: 'ITH55', skills: skills({ [S1]: 'EXPERT' }) });
    ids.inactive = await mentor('cemr', { status: 'INACTIVE', residenceRegionCode: 'ITH55', skills: skills({ [S1]: 'EXPERT' }) });
    ids.foreign = await mentor('eurocities', { residenceRegionCode: 'ITH55', skills: skills({ [S1]: 'EXPERT' }) });
    ids.consented = await mentor('eurocities', { residenceRegionCode: 'ITH55', skills: skills({ [S2]: 'EXPERT' }) });
    await make.consent(ids.consented, 'eurocities', 'cemr');
    ids.current = await mentor('cemr', { residenceRegionCode: 'ITH55', skills: skills({ [S1]: 'EXPERT', [S2]: 'EXPERT', [S3]: 'EXPERT' }) });
    ids.mentee = await make.talent('cemr', {
      residenceRegionCode: 'ITH55', languages: [{ language: 'it', level: 'C1' }, { language: 'en', level: 'B2' }], learningGoalUris: [S1, S2],
    });
    await make.consent(ids.mentee, 'cemr', 'eurocities');
    // The mentee's open mentorship: its goal S3 is wanted too, and its mentor is no candidate.
    ok(await make.propose(cemr, { mentorId: ids.current, menteeId: ids.mentee, goalUris: [S3] }));
    ok(await make.propose(cemr, { mentorId: ids.busy, menteeId: await make.talent('cemr'), goalUris: [S1] }));
    ok(await make.propose(cemr, { mentorId: ids.full, menteeId: await make.talent('cemr'), goalUris: [S1] }));
  });
  afterAll(() => t.stop());

  const matchesFor = async (as = caller('cemr', 'viewer'), first = 50) => ok(await t.query(MATCHES, { menteeId: ids.mentee, first }, as)).mentorMatches as any[];

  it('ranks the candidates by score, then id, with the reasons of each', async () => {
    const matches = await matchesFor();
    expect(matches.length).toBeGreaterThan(8); // demo mentors of cemr, and those made here
    for (let i = 1; i < matches.length; i++) {
      const [a, b] = [matches[i - 1], matches[i]];
      expect(a.score > b.score || (a.score === b.score && a.mentor.id < b.mentor.id), `${i}`).toBe(true);
    }
    const by = new Map(matches.map((m) => [m.mentor.id, m]));
    expect(matches[0].mentor.id).toBe(ids.best);
    expect(by.get(ids.best).score).toBeCloseTo(1, 12);
    expect(by.get(ids.best)).toMatchObject({
      reasons: { commonLanguages: ['it'], sameRegion: true, sameCountry: true, sameTimeZone: true, remainingCapacity: 2, missingSkills: [] },
    });
    expect(by.get(ids.best).reasons.matchedSkills.map((s: any) => s.uri).sort()).toEqual([S1, S2, S3].sort());
    // Labels in order, as every skill list of the graph.
    const labels = by.get(ids.best).reasons.matchedSkills.map((s: any) => s.label);
    expect(labels).toEqual([...labels].sort((x: string, y: string) => x.localeCompare(y, 'en')));
    expect(by.get(ids.country)).toMatchObject({
      reasons: { matchedSkills: [{ uri: S1 }], commonLanguages: ['en'], sameRegion: false, sameCountry: true, sameTimeZone: true, remainingCapacity: 3 },
    });
    expect(by.get(ids.country).reasons.missingSkills.map((s: any) => s.uri).sort()).toEqual([S2, S3].sort());
    expect(by.get(ids.country).score).toBeCloseTo(0.5 / 3 + 0.2 + 0.15 + 0.1, 12);
    expect(by.get(ids.zone).score).toBeCloseTo(0.7, 12);
    expect(by.get(ids.zone)).toMatchObject({ reasons: { commonLanguages: [], sameCountry: false, sameTimeZone: true, remainingCapacity: 1 } });
    expect(by.get(ids.consented).reasons.matchedSkills).toEqual([{ uri: S2, label: expect.any(String) }]);
  });

  it('leaves out the mentee, its current mentor, full or inactive mentors, and talents the caller could not propose', async () => {
    const matches = await matchesFor(caller('cemr', 'viewer'), 50);
    const all = new Set(matches.map((m) => m.mentor.id));
    expect(all.size).toBe(matches.length);
    for (const excluded of [ids.mentee, ids.current, ids.full, ids.inactive, ids.foreign]) expect(all.has(excluded!), excluded).toBe(false);
    // The busy mentor (1 of 4 taken, nothing wanted, another country and time zone, no language at B2) is still a
    // candidate, ranked by its free places alone.
    const rows = await mentorMatches(t.database.db, {
      menteeId: ids.mentee!, organisationId: 'cemr', ...(await menteeWants(t.database.db, ids.mentee!)), menteeRegion: 'ITH55',
      sameZoneCountries: sameZoneCountries('ITH55'), limit: 1000,
    });
    const busy = rows.find((m) => m.mentor.id === ids.busy)!;
    expect(busy).toMatchObject({ remainingCapacity: 3, capacity: 4, matchedSkillUris: [], commonLanguages: [], sameTimeZone: false });
    expect(busy.score).toBeCloseTo(0.075, 12);
    expect(new Set(rows.map((r) => r.mentor.id)).size).toBe(rows.length);
    // Eurocities (which the mentee consented to) is offered its own mentors, and no cemr one.
    const forEurocities = await matchesFor(caller('eurocities', 'viewer'), 50);
    const mentors = forEurocities.map((m) => m.mentor.id);
    expect(mentors).toContain(ids.foreign);
    expect(mentors).not.toContain(ids.best);
  });

  it('computes the same scores in SQL as scoreMatch does, for every candidate', async () => {
    const wants = await menteeWants(t.database.db, ids.mentee!);
    expect(wants).toEqual({ wanted: [S1, S2, S3].sort(), spoken: ['en', 'it'] });
    const rows = await mentorMatches(t.database.db, {
      menteeId: ids.mentee!, organisationId: 'cemr', ...wants, menteeRegion: 'ITH55', sameZoneCountries: sameZoneCountries('ITH55'), limit: 50,
    });
    expect(rows.length).toBeGreaterThan(8);
    for (const row of rows) expect(row.score, row.mentor.id).toBe(scoreMatch(partsOf(row)));
  });

  it('matches a mentee who wants nothing on languages, place and capacity alone', async () => {
    const plain = await make.talent('cemr', { residenceRegionCode: 'ITH55', languages: [{ language: 'it', level: 'C2' }] });
    const matches = ok(await t.query(MATCHES, { menteeId: plain, first: 5 }, caller('cemr', 'viewer'))).mentorMatches;
    expect(matches).toHaveLength(5);
    for (const m of matches) {
      expect(m.reasons.matchedSkills).toEqual([]);
      expect(m.reasons.missingSkills).toEqual([]);
      expect(m.score).toBeLessThanOrEqual(0.5 + 1e-12);
    }
  });

  it('is for readers of the mentee’s personal data only; unknown mentees give null; first is bounded', async () => {
    const refused = await t.query(MATCHES, { menteeId: ids.mentee }, caller('uclg', 'admin'));
    expect(refused.data).toEqual({ mentorMatches: null });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.message).toMatch(/^Not authorised to read Query\.mentorMatches/);
    expect(errorCodes(await t.query(MATCHES, { menteeId: ids.mentee }))).toEqual(['UNAUTHENTICATED']);
    expect(await t.query(MATCHES, { menteeId: '00000000-0000-4000-8000-000000000abc' }, cemr)).toEqual({ data: { mentorMatches: null } });
    expect(errorCodes(await t.query(MATCHES, { menteeId: 'nope' }, cemr))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.query(MATCHES, { menteeId: ids.mentee, first: 51 }, cemr))).toEqual(['BAD_USER_INPUT']);
    expect(ok(await t.query(MATCHES, { menteeId: ids.mentee, first: 0 }, cemr)).mentorMatches).toEqual([]);
    expect(ok(await t.query(MATCHES, { menteeId: ids.mentee }, cemr)).mentorMatches).toHaveLength(10);
  });

  it('costs the same few statements for 5 matches as for 50', async () => {
    const few = await t.countStatements(MATCHES, { menteeId: ids.mentee, first: 5 }, caller('eurocities', 'viewer'));
    const many = await t.countStatements(MATCHES, { menteeId: ids.mentee, first: 50 }, caller('eurocities', 'viewer'));
    expect(many.statements).toBe(few.statements);
    // The mentee, its consents (eurocities reads it by consent), its wants, the matching, the skills of the reasons.
    expect(many.statements).toBe(5);
  });
});
