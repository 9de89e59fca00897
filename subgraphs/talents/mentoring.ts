import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { writeAudit } from '@talent-hub/subgraph-lib/audit';
import { requireOwner } from '@talent-hub/subgraph-lib/auth';
import { loadExisting } from '@talent-hub/subgraph-lib/loaders';
import { badUserInput, forbidden, invalidInput, notFound, type FieldProblem } from '@talent-hub/platform/errors';
import type { Identity } from '@talent-hub/platform/identity';
import { isUuid, parseUuid } from '@talent-hub/subgraph-lib/validate';
import type { Context } from './context.js';
import * as mentoring from './db/mentoring.js';
import type { MentorshipTable, SkillTable, TalentRow, TalentsDatabase } from './db/types.js';
import type { MentorshipResolvers, MutationResolvers, QueryResolvers, TalentResolvers } from './generated/resolvers.js';
import { readMeetings, readMentorshipProposal, readTransitionDay } from './mentoring-input.js';
import { unknownSkills } from './db/writes.js';
import type { TalentChanges } from './input.js';
import { programmeExists } from './mentoring-regions.js';
import { policies } from './policies.js';

// Mentoring (the Talent Hub's tailored mentoring): a talent's mentoring capacity and learning goals, mentorships
// and their lifecycle, and the skill gaps the trainings subgraph reads. Thin resolvers over loaders (one statement
// per page, whatever the number of talents or mentorships); mutations as in mutations.ts: input checked first
// (every problem listed), then one transaction that locks, checks the caller, writes and leaves one audit row.
//
// Who reads a mentorship: users of the organisation that runs it, and of any organisation that may read the
// mentor's or the mentee's personal data (owner, or consented). `Query.mentorship` answers an id it cannot show with
// null and the same FORBIDDEN error whether or not a mentorship has it, so that nobody learns which ids exist.
//
// Lifecycle: PROPOSED -> ACTIVE (accept) -> COMPLETED (complete); PROPOSED or ACTIVE -> ENDED_EARLY (end). Locks are
// always taken talents first (in id order), then the mentorship, the order an erasure takes them in (the talent's
// row, then its mentorships by cascade), so that the two never wait for each other in a circle.

type Db = Kysely<TalentsDatabase>;

const skillOf = (s: SkillTable): SkillTable => ({ uri: s.uri, label: s.label, skill_type: s.skill_type, reuse_level: s.reuse_level });

/**
 * Whether the caller may read a talent's personal data (its organisation, or one it consented to): the rule of the
 * `talent_personal_data` policy. It answers every talent of a page at the same moment (the page's consent lookup,
 * then the request's page gate), whether the policy needed the lookup (other organisations' talents) or not (the
 * caller's own): what each talent then loads goes into one batch for the whole page, not one per path it took.
 */
export async function readsPersonalData(talent: TalentRow, ctx: Context): Promise<boolean> {
  if (!ctx.identity?.organisationId) return false;
  await ctx.loaders.talentConsents.load(talent.id);
  const readable = await policies.talent_personal_data!.allows(talent, {}, ctx);
  await ctx.loaders.pageGate.pass();
  return readable;
}

/** Whether the caller may read a mentorship: the running organisation, or a reader of either talent's personal data. */
export async function mayReadMentorship(m: MentorshipTable, ctx: Context): Promise<boolean> {
  const organisation = ctx.identity?.organisationId;
  if (!organisation) return false;
  if (m.organisation_id === organisation) return true;
  const [mentor, mentee] = await Promise.all([ctx.loaders.talent.load(m.mentor_id), ctx.loaders.talent.load(m.mentee_id)]);
  for (const talent of [mentor, mentee]) if (talent && (await readsPersonalData(talent, ctx))) return true;
  return false;
}

/**
 * Problems with skills that are well-formed but that the graph does not know, at `field[i]` (public reference data,
 * read before any lock). Indexes already reported are left alone.
 */
export async function unknownSkillProblems(db: Db, uris: readonly string[] | undefined, field: string, problems: FieldProblem[]): Promise<void> {
  if (!uris || uris.length === 0) return;
  const reported = new Set(problems.map((p) => p.field));
  const candidates = uris.filter((_, i) => !reported.has(`${field}[${i}]`) && !reported.has(field));
  const unknown = await unknownSkills(db, candidates);
  uris.forEach((uri, i) => {
    if (unknown.has(uri) && !reported.has(`${field}[${i}]`)) problems.push({ field: `${field}[${i}]`, message: 'is not a skill known to the graph (see Query.skills).' });
  });
}

/** The caller of a write; the schema's directives guarantee one, this guards against a schema edited without them. */
const callerOf = (ctx: Context, what: string): Identity => requireOwner(ctx.identity, ctx.identity?.organisationId ?? '', what);

const ROLE = { mentor: 'mentor', mentee: 'mentee' } as const;

/**
 * Both talents must be owned by the running organisation or have consented to share personal data with it; else
 * FORBIDDEN, naming the role (never the talent's data).
 */
async function requireShared(trx: Db, organisationId: string, talents: { mentor: TalentRow; mentee: TalentRow }, doing: string): Promise<void> {
  const others = Object.values(talents).filter((t) => t.organisation_id !== organisationId).map((t) => t.id);
  const consenting = await mentoring.talentsConsentingTo(trx, others, organisationId);
  for (const role of [ROLE.mentor, ROLE.mentee]) {
    const talent = talents[role];
    if (talent.organisation_id !== organisationId && !consenting.has(talent.id)) {
      throw forbidden(
        `The ${role}'s profile is neither owned by the organisation that runs the mentorship nor shared with it (the talent has not consented to share personal data with it), so it cannot ${doing}.`,
      );
    }
  }
}

/**
 * A change of one mentorship in one transaction: the mentorship is found, its talents locked, then the mentorship
 * itself; NOT_FOUND when it does not exist; the caller must be an editor of the running organisation; `change`
 * checks the transition and writes; one audit row.
 */
async function changeMentorship(
  ctx: Context,
  id: string,
  action: { verb: string; what: string },
  change: (trx: Db, m: MentorshipTable, talents: TalentRow[]) => Promise<MentorshipTable>,
): Promise<MentorshipTable> {
  return ctx.db.transaction().execute(async (trx) => {
    const found = await mentoring.findMentorship(trx, id);
    if (!found) throw notFound('mentorship', 'id');
    const talents = await mentoring.lockTalents(trx, [found.mentor_id, found.mentee_id]);
    const m = await mentoring.lockMentorship(trx, id);
    if (!m) throw notFound('mentorship', 'id');
    const identity = requireOwner(ctx.identity, m.organisation_id, action.what);
    const changed = await change(trx, m, talents);
    await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: `mentorship.${action.verb}`, entityType: 'Mentorship', entityId: id });
    return changed;
  });
}

const wrongStatus = (m: MentorshipTable, allowed: string, verb: string) =>
  badUserInput(`Only ${allowed} mentorship can be ${verb}; this one is ${m.status}.`, 'id');

/** The day a mentorship was proposed (UTC). */
const proposedDay = (m: MentorshipTable) => m.proposed_at.toISOString().slice(0, 10);

export const mentoringMutations: Pick<MutationResolvers, 'proposeMentorship' | 'acceptMentorship' | 'completeMentorship' | 'endMentorship'> = {
  proposeMentorship: async (_, args, ctx) => {
    const identity = callerOf(ctx, 'propose a mentorship');
    const { proposal, problems } = readMentorshipProposal(args.input);
    await unknownSkillProblems(ctx.db, proposal.goalUris, 'input.goalUris', problems);
    if (proposal.programmeId !== null && !problems.some((p) => p.field === 'input.programmeId') && !(await programmeExists(ctx, proposal.programmeId))) {
      problems.push({ field: 'input.programmeId', message: 'is not a programme of the graph (see Query.programmes).' });
    }
    if (problems.length > 0) throw invalidInput(problems);
    const organisationId = proposal.organisationId ?? identity.organisationId;
    if (organisationId !== identity.organisationId) {
      throw forbidden('A mentorship is run by the organisation of the editor who proposes it: "input.organisationId" must be your own organisation, or absent.');
    }
    return ctx.db.transaction().execute(async (trx) => {
      // Both talents locked (in id order): the mentor's lock makes concurrent proposals for it wait, so each counts
      // the places the others took; the pair's locks keep a second mentorship of the same two out.
      const locked = await mentoring.lockTalents(trx, [proposal.mentorId, proposal.menteeId]);
      const mentor = locked.find((t) => t.id === proposal.mentorId);
      if (!mentor) throw notFound('talent', 'input.mentorId');
      const mentee = locked.find((t) => t.id === proposal.menteeId);
      if (!mentee) throw notFound('talent', 'input.menteeId');
      await requireShared(trx, organisationId, { mentor, mentee }, 'be proposed');
      const conflicts: FieldProblem[] = [];
      const capacity = mentor.mentoring_capacity ?? 0;
      if (capacity === 0) conflicts.push({ field: 'input.mentorId', message: 'is not a mentor (no mentoring capacity).' });
      else if ((await mentoring.countOpenAsMentor(trx, mentor.id)) >= capacity) {
        conflicts.push({ field: 'input.mentorId', message: 'has no place of mentoring capacity left: every place is taken by a proposed or active mentorship.' });
      }
      if (await mentoring.openPairExists(trx, mentor.id, mentee.id)) {
        conflicts.push({ field: 'input.menteeId', message: 'already has a proposed or active mentorship with this mentor (either way round).' });
      }
      if (conflicts.length > 0) throw invalidInput(conflicts);
      const row = await mentoring.insertMentorship(
        trx,
        {
          id: randomUUID(),
          mentor_id: mentor.id,
          mentee_id: mentee.id,
          organisation_id: organisationId,
          programme_id: proposal.programmeId,
          status: 'PROPOSED',
          starts_on: proposal.startsOn,
          ends_on: null,
          meetings: 0,
          proposed_at: new Date(),
          synthetic: false,
        },
        proposal.goalUris,
      );
      await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: 'mentorship.propose', entityType: 'Mentorship', entityId: row.id });
      return row;
    });
  },

  acceptMentorship: async (_, args, ctx) => {
    callerOf(ctx, 'accept a mentorship');
    const id = parseUuid(args.id, 'id');
    const problems: FieldProblem[] = [];
    const startsOn = readTransitionDay(args.startsOn, 'startsOn', problems);
    if (problems.length > 0) throw invalidInput(problems);
    return changeMentorship(ctx, id, { verb: 'accept', what: 'accept this mentorship' }, async (trx, m, talents) => {
      if (m.status !== 'PROPOSED') throw wrongStatus(m, 'a PROPOSED', 'accepted');
      if (startsOn < proposedDay(m)) throw invalidInput([{ field: 'startsOn', message: 'must not be before the day the mentorship was proposed.' }]);
      const byId = new Map(talents.map((t) => [t.id, t]));
      await requireShared(trx, m.organisation_id, { mentor: byId.get(m.mentor_id)!, mentee: byId.get(m.mentee_id)! }, 'be accepted');
      return mentoring.updateMentorship(trx, m.id, { status: 'ACTIVE', starts_on: startsOn });
    });
  },

  completeMentorship: async (_, args, ctx) => {
    callerOf(ctx, 'complete a mentorship');
    const id = parseUuid(args.id, 'id');
    const problems: FieldProblem[] = [];
    const endsOn = readTransitionDay(args.endsOn, 'endsOn', problems);
    const meetings = readMeetings(args.meetings, problems);
    if (problems.length > 0) throw invalidInput(problems);
    return changeMentorship(ctx, id, { verb: 'complete', what: 'complete this mentorship' }, async (trx, m) => {
      if (m.status !== 'ACTIVE') throw wrongStatus(m, 'an ACTIVE', 'completed');
      if (endsOn < m.starts_on!) throw invalidInput([{ field: 'endsOn', message: 'must not be before the day the mentorship began (its startsOn).' }]);
      return mentoring.updateMentorship(trx, m.id, { status: 'COMPLETED', ends_on: endsOn, meetings: meetings! });
    });
  },

  endMentorship: async (_, args, ctx) => {
    callerOf(ctx, 'end a mentorship');
    const id = parseUuid(args.id, 'id');
    const problems: FieldProblem[] = [];
    const endsOn = readTransitionDay(args.endsOn, 'endsOn', problems);
    const meetings = readMeetings(args.meetings, problems);
    if (problems.length > 0) throw invalidInput(problems);
    return changeMentorship(ctx, id, { verb: 'end', what: 'end this mentorship' }, async (trx, m) => {
      if (m.status !== 'PROPOSED' && m.status !== 'ACTIVE') throw wrongStatus(m, 'a PROPOSED or ACTIVE', 'ended');
      const problems: FieldProblem[] = [];
      if (m.status === 'ACTIVE' && endsOn < m.starts_on!) problems.push({ field: 'endsOn', message: 'must not be before the day the mentorship began (its startsOn).' });
      if (m.status === 'PROPOSED' && endsOn < proposedDay(m)) problems.push({ field: 'endsOn', message: 'must not be before the day the mentorship was proposed.' });
      if (m.status === 'PROPOSED' && meetings !== null && meetings > 0) problems.push({ field: 'meetings', message: 'must be 0: a proposal that is ended never began.' });
      if (problems.length > 0) throw invalidInput(problems);
      // A proposal ended never began: no first day.
      return mentoring.updateMentorship(trx, m.id, {
        status: 'ENDED_EARLY',
        ends_on: endsOn,
        ...(m.status === 'PROPOSED' ? { starts_on: null } : {}),
        ...(meetings !== null ? { meetings } : {}),
      });
    });
  },
};

export const mentoringQueries: Pick<QueryResolvers, 'mentorship'> = {
  mentorship: async (_, args, ctx) => {
    const id = parseUuid(args.id, 'id');
    const m = await ctx.loaders.mentorship.load(id);
    if (m && (await mayReadMentorship(m, ctx))) return m;
    throw forbidden(
      "Not authorised to read Query.mentorship: only users of the organisation that runs the mentorship, or of an organisation that may read the mentor's or the mentee's personal data, may. An id that no mentorship has gets this same answer.",
    );
  },
};

export const mentoringTalentFields: Pick<TalentResolvers, 'mentoringCapacity' | 'learningGoals' | 'mentorships' | 'skillGaps'> = {
  mentoringCapacity: (t) => t.mentoring_capacity,
  // Personal: the schema's @policy has let the caller through.
  learningGoals: async (t, _, ctx) => {
    await readsPersonalData(t, ctx); // (one batch for the page, see readsPersonalData)
    return (await ctx.loaders.learningGoals.load(t.id)).map(skillOf);
  },
  // The policy (talent_mentorships) has let the caller through; a caller who may not read the talent's personal
  // data got through as the running organisation of some of them, and sees those only.
  mentorships: async (t, args, ctx) => {
    const whole = await readsPersonalData(t, ctx);
    const filter = { role: args.role ?? null, status: args.status ?? null, organisationId: whole ? null : ctx.identity!.organisationId };
    return ctx.loaders.mentorshipsOfTalent(filter).load(t.id, args);
  },
  // No @policy: the field is only read by the trainings subgraph through @requires, which wants null, not an error.
  skillGaps: async (t, _, ctx) => {
    if (!(await readsPersonalData(t, ctx))) return null;
    return (await ctx.loaders.skillGaps.load(t.id)).map((g) => ({ skillUri: g.skill_uri, reason: g.reason }));
  },
};

export const mentorshipResolvers: MentorshipResolvers = {
  // The gateway may pass any id; one the caller may not read resolves to null, as an unknown one does.
  __resolveReference: async (ref, ctx) => {
    if (!isUuid(ref.id)) return null;
    const m = await ctx.loaders.mentorship.load(ref.id);
    return m && (await mayReadMentorship(m, ctx)) ? m : null;
  },
  mentor: (m, _, ctx) => loadExisting(ctx.loaders.talent, m.mentor_id, 'talent'),
  mentee: (m, _, ctx) => loadExisting(ctx.loaders.talent, m.mentee_id, 'talent'),
  organisation: (m) => ({ id: m.organisation_id }),
  programme: (m) => (m.programme_id === null ? null : { id: m.programme_id }),
  goals: async (m, _, ctx) => (await ctx.loaders.mentorshipGoals.load(m.id)).map(skillOf),
  startsOn: (m) => m.starts_on,
  endsOn: (m) => m.ends_on,
  proposedAt: (m) => m.proposed_at,
};

// ---- createTalent and updateTalent (called by mutations.ts) ------------------------------------------------------

/** The learning goals of a talent input, replaced when given (in the mutation's transaction). */
export async function applyMentoringChanges(trx: Db, talentId: string, changes: TalentChanges): Promise<void> {
  if (changes.learningGoals) await mentoring.replaceLearningGoals(trx, talentId, changes.learningGoals);
}

/**
 * A new mentoring capacity may not fall below the places the talent's PROPOSED and ACTIVE mentorships as mentor take
 * (checked under the talent's lock, which proposals take too).
 */
export async function checkCapacityChange(trx: Db, talentId: string, changes: TalentChanges): Promise<void> {
  if (!('mentoring_capacity' in changes.columns)) return;
  const capacity = changes.columns.mentoring_capacity ?? 0;
  if (capacity < (await mentoring.countOpenAsMentor(trx, talentId))) {
    throw invalidInput([
      { field: 'input.mentoringCapacity', message: "must not be below the places taken by the talent's proposed and active mentorships as mentor; end some first." },
    ]);
  }
}
