import { writeAudit } from '@talent-hub/subgraph-lib/audit';
import { requireOwner } from '@talent-hub/subgraph-lib/auth';
import { badUserInput, invalidInput, notFound, type FieldProblem } from '@talent-hub/platform/errors';
import { parseSlug, parseUuid } from '@talent-hub/subgraph-lib/validate';
import { checkCalendarDay } from './arguments.js';
import type { Context } from './context.js';
import * as affiliations from './db/affiliations.js';
import * as writes from './db/writes.js';
import type { MutationResolvers } from './generated/resolvers.js';
import { todayUtc } from './input.js';
import { organisationExists } from './mutations.js';

// Writes of affiliations, by editors of the organisation owning the talent's profile: input checked first (every
// problem listed), the organisation asked of regions, then one transaction that locks the talent, checks the
// caller, the overlap and the limit, writes, and leaves one audit row (no personal data: ids only).

const overlaps = (a: { from: string; to: string | null }, b: { from: string; to: string | null }) =>
  a.from <= (b.to ?? '9999-12-31') && b.from <= (a.to ?? '9999-12-31');

function readPeriod(from: string, to: string | null | undefined, fields: { from: string; to: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const today = todayUtc();
  if (from > today) problems.push({ field: fields.from, message: 'must not be in the future.' });
  if (to != null && to > today) problems.push({ field: fields.to, message: 'must not be in the future.' });
  if (to != null && to < from) problems.push({ field: fields.to, message: `must not be before "${fields.from}".` });
  return problems;
}

async function lockOwned(ctx: Context, trx: Parameters<typeof writes.lockTalent>[0], talentId: string) {
  const talent = await writes.lockTalent(trx, talentId);
  if (!talent) throw notFound('talent', 'talentId');
  const identity = requireOwner(ctx.identity, talent.organisation_id, "record this talent's affiliations");
  return { talent, identity };
}

export const affiliationMutations: Pick<MutationResolvers, 'recordAffiliation' | 'endAffiliation'> = {
  recordAffiliation: async (_, args, ctx) => {
    const talentId = parseUuid(args.talentId, 'talentId');
    const input = args.input;
    const organisationId = parseSlug(input.organisationId, 'input.organisationId');
    checkCalendarDay(input.from, 'input.from');
    if (input.to != null) checkCalendarDay(input.to, 'input.to');
    const role = input.role.trim();
    const problems: FieldProblem[] = [];
    if (role.length < 1 || role.length > 100) problems.push({ field: 'input.role', message: 'must be 1 to 100 characters.' });
    problems.push(...readPeriod(input.from, input.to, { from: 'input.from', to: 'input.to' }));
    if (problems.length > 0) throw invalidInput(problems);
    if (!(await organisationExists(ctx, organisationId))) {
      throw badUserInput('Argument "input.organisationId" must be the id of an organisation of the graph (see Query.organisations); no organisation has this one.', 'input.organisationId');
    }
    const period = { from: input.from, to: input.to ?? null };
    return ctx.db.transaction().execute(async (trx) => {
      const { talent, identity } = await lockOwned(ctx, trx, talentId);
      if ((await affiliations.countAffiliations(trx, talentId)) >= affiliations.MAX_AFFILIATIONS) {
        throw badUserInput(`A talent may have at most ${affiliations.MAX_AFFILIATIONS} affiliations.`, 'talentId');
      }
      const existing = await affiliations.affiliationsWith(trx, talentId, organisationId);
      if (existing.some((e) => overlaps(period, { from: e.started_on, to: e.ended_on }))) {
        throw invalidInput([{ field: 'input.from', message: 'the period overlaps another affiliation of the talent with this organisation.' }]);
      }
      await affiliations.insertAffiliation(trx, { talent_id: talentId, organisation_id: organisationId, role, started_on: period.from, ended_on: period.to });
      await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: 'talent.affiliation.record', entityType: 'Affiliation', entityId: `${talentId}:${organisationId}:${period.from}` });
      return talent;
    });
  },

  endAffiliation: async (_, args, ctx) => {
    const talentId = parseUuid(args.talentId, 'talentId');
    const organisationId = parseSlug(args.organisationId, 'organisationId');
    checkCalendarDay(args.from, 'from');
    checkCalendarDay(args.to, 'to');
    const problems = readPeriod(args.from, args.to, { from: 'from', to: 'to' }).filter((p) => p.field === 'to');
    if (problems.length > 0) throw invalidInput(problems);
    return ctx.db.transaction().execute(async (trx) => {
      const { talent, identity } = await lockOwned(ctx, trx, talentId);
      const existing = await affiliations.affiliationsWith(trx, talentId, organisationId);
      const current = existing.find((e) => e.started_on === args.from);
      if (!current) throw notFound('affiliation', 'from');
      if (current.ended_on !== null) throw badUserInput('This affiliation has already ended.', 'to');
      const later = existing.find((e) => e.started_on > args.from);
      // Open and later periods can't both exist (no overlap), so `later` is only a guard against a bad row.
      if (later && later.started_on <= args.to) throw invalidInput([{ field: 'to', message: 'must be before the next affiliation with this organisation starts.' }]);
      await affiliations.endAffiliation(trx, talentId, organisationId, args.from, args.to);
      await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: 'talent.affiliation.end', entityType: 'Affiliation', entityId: `${talentId}:${organisationId}:${args.from}` });
      return talent;
    });
  },
};
