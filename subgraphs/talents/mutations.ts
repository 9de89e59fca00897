import { randomUUID } from 'node:crypto';
import { requireOwner } from '@talent-hub/subgraph-lib/auth';
import { writeAudit } from '@talent-hub/subgraph-lib/audit';
import { recordChanges } from '@talent-hub/subgraph-lib/cache-report';
import { badUserInput, invalidInput, notFound, serviceUnavailable, type FieldProblem } from '@talent-hub/platform/errors';
import type { Identity } from '@talent-hub/platform/identity';
import { parseSlug, parseUuid } from '@talent-hub/subgraph-lib/validate';
import type { Context } from './context.js';
import { MAX_CONSENTS } from './db/repository.js';
import type { TalentRow } from './db/types.js';
import type { MutationResolvers } from './generated/resolvers.js';
import * as writes from './db/writes.js';
import { deliverErasures, ERASURE_SUBGRAPHS, notePendingErasure } from './erasure.js';
import { readTalentInput, todayUtc, type TalentChanges, type TalentInput } from './input.js';
import { applyMentoringChanges, checkCapacityChange, unknownSkillProblems } from './mentoring.js';

// The talents mutations. Each: input checked first (every problem listed), then one transaction that reads and
// locks the talent, checks that the caller may change it (requireOwner), writes, and leaves one audit row.
// `@authenticated @requiresScopes(scopes: [["editor"]])` in the schema has already refused anonymous callers and
// viewers by the time a resolver runs.

/** The optional columns of a new talent that its input leaves out. */
const EMPTY_OPTIONAL = {
  residence_region_code: null, origin_region_code: null, education_level: null, career_stage: null,
  given_name: null, family_name: null, email: null, birth_year: null, phone: null,
} satisfies Partial<TalentRow>;


/** The caller; the schema's directives guarantee one, this guards against a schema edited without them. */
const callerOf = (ctx: Context): Identity => requireOwner(ctx.identity, ctx.identity?.organisationId ?? '', 'change talents');

/** Problems that need the database: skills the graph does not know. Public data, read before any lock. */
async function skillProblems(ctx: Context, changes: TalentChanges, reported: Set<string>): Promise<FieldProblem[]> {
  const field = (i: number) => `input.skills[${i}].skillUri`;
  const candidates = (changes.skills ?? []).filter((_, i) => !reported.has(field(i)));
  if (candidates.length === 0) return [];
  const unknown = await writes.unknownSkills(ctx.db, candidates.map((s) => s.skill_uri));
  return changes.skills!.flatMap((s, i) =>
    !reported.has(field(i)) && unknown.has(s.skill_uri) ? [{ field: field(i), message: 'is not a skill known to the graph (see Query.skills).' }] : [],
  );
}

async function checkedInput(ctx: Context, input: TalentInput, mode: 'create' | 'update'): Promise<TalentChanges> {
  const { changes, problems } = readTalentInput(input, mode);
  problems.push(...(await skillProblems(ctx, changes, new Set(problems.map((p) => p.field)))));
  await unknownSkillProblems(ctx.db, changes.learningGoals, 'input.learningGoalUris', problems);
  if (problems.length > 0) throw invalidInput(problems);
  return changes;
}

/** Whether an organisation exists, asked of the regions subgraph that owns organisations. */
export async function organisationExists(ctx: Context, organisationId: string): Promise<boolean> {
  let result;
  try {
    result = await ctx.peers.call('regions', 'query ($id: ID!) { organisation(id: $id) { id } }', { id: organisationId });
  } catch {
    throw serviceUnavailable('The organisation could not be checked (the regions subgraph did not answer); nothing was changed. Try again.');
  }
  return Boolean((result.data?.organisation as { id?: string } | null)?.id);
}

function readConsentArguments(args: { talentId: string; organisationId: string }) {
  const talentId = parseUuid(args.talentId, 'talentId');
  const organisationId = parseSlug(args.organisationId, 'organisationId');
  return { talentId, organisationId };
}

export const mutationResolvers: MutationResolvers = {
  createTalent: async (_, args, ctx) => {
    const identity = callerOf(ctx);
    const changes = await checkedInput(ctx, args.input, 'create');
    return ctx.db.transaction().execute(async (trx) => {
      // A fresh random UUID cannot realistically repeat an erased one; the tombstone makes sure of it.
      let id = randomUUID();
      while (await writes.isErased(trx, id)) id = randomUUID();
      // readTalentInput has made sure that every required column is among the changes on create.
      const row = { ...EMPTY_OPTIONAL, ...changes.columns, id, organisation_id: identity.organisationId, synthetic: false } as TalentRow;
      const talent = await writes.insertTalent(trx, row);
      if (changes.skills) await writes.replaceSkills(trx, id, changes.skills);
      if (changes.languages) await writes.replaceLanguages(trx, id, changes.languages);
      await applyMentoringChanges(trx, id, changes);
      if (talent.residence_region_code) await writes.moveResidence(trx, id, talent.residence_region_code, todayUtc());
      await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: 'talent.create', entityType: 'Talent', entityId: id });
      return talent;
    });
  },

  updateTalent: async (_, args, ctx) => {
    callerOf(ctx);
    const id = parseUuid(args.id, 'id');
    const changes = await checkedInput(ctx, args.input, 'update');
    return ctx.db.transaction().execute(async (trx) => {
      const current = await writes.lockTalent(trx, id);
      if (!current) throw notFound('talent', 'id');
      const identity = requireOwner(ctx.identity, current.organisation_id, 'update this talent');
      await checkCapacityChange(trx, id, changes);
      const talent = await writes.updateTalentColumns(trx, id, changes.columns);
      if (changes.skills) await writes.replaceSkills(trx, id, changes.skills);
      if (changes.languages) await writes.replaceLanguages(trx, id, changes.languages);
      await applyMentoringChanges(trx, id, changes);
      if ('residence_region_code' in changes.columns && changes.columns.residence_region_code !== current.residence_region_code) {
        await writes.moveResidence(trx, id, changes.columns.residence_region_code ?? null, todayUtc());
      }
      await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: 'talent.update', entityType: 'Talent', entityId: id });
      return talent;
    });
  },

  grantConsent: async (_, args, ctx) => {
    callerOf(ctx);
    const { talentId, organisationId } = readConsentArguments(args);
    if (!(await organisationExists(ctx, organisationId))) {
      throw badUserInput(`Argument "organisationId" must be the id of an organisation of the graph (see Query.organisations); no organisation has this one.`, 'organisationId');
    }
    return ctx.db.transaction().execute(async (trx) => {
      const talent = await writes.lockTalent(trx, talentId);
      if (!talent) throw notFound('talent', 'talentId');
      const identity = requireOwner(ctx.identity, talent.organisation_id, "manage this talent's consents");
      if (organisationId === talent.organisation_id) {
        throw badUserInput('Argument "organisationId" names the organisation that owns the talent, which reads its personal data anyway.', 'organisationId');
      }
      if ((await writes.countConsents(trx, talentId)) >= MAX_CONSENTS) {
        throw badUserInput(`A talent may share personal data with at most ${MAX_CONSENTS} organisations; withdraw one first.`, 'organisationId');
      }
      await writes.grantConsent(trx, talentId, organisationId);
      recordChanges(ctx, { audiences: [organisationId] });
      await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: 'talent.consent.grant', entityType: 'TalentConsent', entityId: `${talentId}:${organisationId}` });
      return talent;
    });
  },

  withdrawConsent: async (_, args, ctx) => {
    callerOf(ctx);
    const { talentId, organisationId } = readConsentArguments(args);
    return ctx.db.transaction().execute(async (trx) => {
      const talent = await writes.lockTalent(trx, talentId);
      if (!talent) throw notFound('talent', 'talentId');
      const identity = requireOwner(ctx.identity, talent.organisation_id, "manage this talent's consents");
      await writes.withdrawConsent(trx, talentId, organisationId);
      recordChanges(ctx, { audiences: [organisationId] });
      await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: 'talent.consent.withdraw', entityType: 'TalentConsent', entityId: `${talentId}:${organisationId}` });
      return talent;
    });
  },

  eraseTalent: async (_, args, ctx) => {
    callerOf(ctx);
    const id = parseUuid(args.id, 'id');
    const erasedAt = await ctx.db.transaction().execute(async (trx) => {
      const talent = await writes.lockTalent(trx, id);
      if (!talent) throw notFound('talent', 'id');
      const identity = requireOwner(ctx.identity, talent.organisation_id, 'erase this talent');
      const at = await writes.eraseTalent(trx, id, ERASURE_SUBGRAPHS);
      await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: 'talent.erase', entityType: 'Talent', entityId: id });
      return at;
    });
    // Committed: the talent is gone here whatever happens next. Tell the other subgraphs now; what fails stays
    // in the outbox for the background loop.
    const results = await deliverErasures(ctx.db, ctx.peers, { limit: ERASURE_SUBGRAPHS.length, talentId: id }).catch(() => []);
    if (results.some((r) => !r.delivered) || results.length < ERASURE_SUBGRAPHS.length) notePendingErasure(ctx.db);
    const delivered = new Set(results.filter((r) => r.delivered).map((r) => r.subgraph));
    return { talentId: id, erasedAt, subgraphs: ERASURE_SUBGRAPHS.map((subgraph) => ({ subgraph, delivered: delivered.has(subgraph) })) };
  },
};
