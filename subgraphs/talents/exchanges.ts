import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { writeAudit } from '@talent-hub/subgraph-lib/audit';
import { requireOwner } from '@talent-hub/subgraph-lib/auth';
import { loadExisting } from '@talent-hub/subgraph-lib/loaders';
import { badUserInput, invalidInput, notFound } from '@talent-hub/platform/errors';
import { checkRange, isUuid, parseUuid } from '@talent-hub/subgraph-lib/validate';
import { checkCalendarDay } from './arguments.js';
import type { Context } from './context.js';
import * as exchanges from './db/exchanges.js';
import { lockTalents } from './db/mentoring.js';
import type { ExchangeTable, TalentsDatabase } from './db/types.js';
import type { ExchangeResolvers, ExchangeStatus, MutationResolvers, OrganisationResolvers, TalentResolvers } from './generated/resolvers.js';
import { readExchangeProposal, todayUtc } from './mentoring-input.js';
import { organisationExists, programmeExists } from './mentoring-regions.js';
import { readsPersonalData } from './mentoring.js';

// Exchanges (the Talent Hub's exchanges): a talent of one organisation (home) hosted by another (host) for a
// period. Personal data of the talent: readable by users of the home organisation, of organisations the talent
// consented to share with, and of the host organisation (its own records). Organisation.hostedExchanges is the
// host's own list: nobody else reads it, not even its count.
//
// Lifecycle: PROPOSED (home) -> ACCEPTED or DECLINED (host); PROPOSED or ACCEPTED -> CANCELLED (home); ACCEPTED ->
// COMPLETED (home or host, once the stay has begun). DECLINED, CANCELLED and COMPLETED are final. Writes lock the
// talent, then the exchange (the order an erasure takes), check the caller, write, and leave one audit row.

type Db = Kysely<TalentsDatabase>;

/** Who may make a transition: the home organisation, the host, or either. */
type Side = 'home' | 'host' | 'either';

interface Transition {
  verb: string;
  side: Side;
  from: readonly ExchangeStatus[];
  to: ExchangeStatus;
  /** How the refusal names the allowed statuses, e.g. "a PROPOSED". */
  allowed: string;
  past: string;
}

const TRANSITIONS = {
  accept: { verb: 'accept', side: 'host', from: ['PROPOSED'], to: 'ACCEPTED', allowed: 'a PROPOSED', past: 'accepted' },
  decline: { verb: 'decline', side: 'host', from: ['PROPOSED'], to: 'DECLINED', allowed: 'a PROPOSED', past: 'declined' },
  cancel: { verb: 'cancel', side: 'home', from: ['PROPOSED', 'ACCEPTED'], to: 'CANCELLED', allowed: 'a PROPOSED or ACCEPTED', past: 'cancelled' },
  complete: { verb: 'complete', side: 'either', from: ['ACCEPTED'], to: 'COMPLETED', allowed: 'an ACCEPTED', past: 'completed' },
} as const satisfies Record<string, Transition>;

/** The organisation whose editors may make a transition: the home, the host, or (either) the caller's if it is one of them. */
function ownerFor(e: ExchangeTable, side: Side, ctx: Context): string {
  if (side === 'home') return e.home_organisation_id;
  if (side === 'host') return e.host_organisation_id;
  return ctx.identity?.organisationId === e.host_organisation_id ? e.host_organisation_id : e.home_organisation_id;
}

async function transition(ctx: Context, rawId: string, t: Transition): Promise<ExchangeTable> {
  requireOwner(ctx.identity, ctx.identity?.organisationId ?? '', `${t.verb} an exchange`);
  const id = parseUuid(rawId, 'id');
  return ctx.db.transaction().execute(async (trx: Db) => {
    const found = await exchanges.findExchange(trx, id);
    if (!found) throw notFound('exchange', 'id');
    await lockTalents(trx, [found.talent_id]);
    const e = await exchanges.lockExchange(trx, id);
    if (!e) throw notFound('exchange', 'id');
    const who = t.side === 'home' ? 'the home organisation' : t.side === 'host' ? 'the host organisation' : 'the home or the host organisation';
    const identity = requireOwner(ctx.identity, ownerFor(e, t.side, ctx), `${t.verb} this exchange (${who})`);
    if (!(t.from as readonly string[]).includes(e.status)) {
      throw badUserInput(`Only ${t.allowed} exchange can be ${t.past}; this one is ${e.status}.`, 'id');
    }
    if (t.to === 'COMPLETED' && e.starts_on > todayUtc()) {
      throw badUserInput('An exchange can be completed once it has begun; this one begins later (its startsOn).', 'id');
    }
    const changed = await exchanges.setExchangeStatus(trx, id, t.to);
    await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: `exchange.${t.verb}`, entityType: 'Exchange', entityId: id });
    return changed;
  });
}

export const exchangeMutations: Pick<MutationResolvers, 'proposeExchange' | 'acceptExchange' | 'declineExchange' | 'cancelExchange' | 'completeExchange'> = {
  proposeExchange: async (_, args, ctx) => {
    requireOwner(ctx.identity, ctx.identity?.organisationId ?? '', 'propose an exchange');
    const { proposal, problems } = readExchangeProposal(args.input);
    const reported = new Set(problems.map((p) => p.field));
    const [hostKnown, programmeKnown] = await Promise.all([
      reported.has('input.hostOrganisationId') ? true : organisationExists(ctx, proposal.hostOrganisationId),
      proposal.programmeId === null || reported.has('input.programmeId') ? true : programmeExists(ctx, proposal.programmeId),
    ]);
    if (!hostKnown) problems.push({ field: 'input.hostOrganisationId', message: 'is not an organisation of the graph (see Query.organisations).' });
    if (!programmeKnown) problems.push({ field: 'input.programmeId', message: 'is not a programme of the graph (see Query.programmes).' });
    if (problems.length > 0) throw invalidInput(problems);
    return ctx.db.transaction().execute(async (trx) => {
      const [talent] = await lockTalents(trx, [proposal.talentId]);
      if (!talent) throw notFound('talent', 'input.talentId');
      const identity = requireOwner(ctx.identity, talent.organisation_id, "propose an exchange of this talent (the talent's own organisation)");
      const conflicts = [];
      if (proposal.hostOrganisationId === talent.organisation_id) {
        conflicts.push({ field: 'input.hostOrganisationId', message: "must differ from the talent's own organisation (the home organisation)." });
      }
      if (await exchanges.overlappingExchangeExists(trx, talent.id, proposal.startsOn, proposal.endsOn)) {
        conflicts.push({ field: 'input.startsOn', message: "overlaps another of the talent's proposed or accepted exchanges." });
      }
      if (conflicts.length > 0) throw invalidInput(conflicts);
      const row = await exchanges.insertExchange(trx, {
        id: randomUUID(),
        talent_id: talent.id,
        home_organisation_id: talent.organisation_id,
        host_organisation_id: proposal.hostOrganisationId,
        kind: proposal.kind,
        region_code: proposal.regionCode,
        programme_id: proposal.programmeId,
        starts_on: proposal.startsOn,
        ends_on: proposal.endsOn,
        status: 'PROPOSED',
        proposed_at: new Date(),
        synthetic: false,
      });
      await writeAudit(trx, { identity, requestId: ctx.requestId }, { action: 'exchange.propose', entityType: 'Exchange', entityId: row.id });
      return row;
    });
  },
  acceptExchange: (_, args, ctx) => transition(ctx, args.id, TRANSITIONS.accept),
  declineExchange: (_, args, ctx) => transition(ctx, args.id, TRANSITIONS.decline),
  cancelExchange: (_, args, ctx) => transition(ctx, args.id, TRANSITIONS.cancel),
  completeExchange: (_, args, ctx) => transition(ctx, args.id, TRANSITIONS.complete),
};

/** Whether the caller may read an exchange: the host, or a reader of the talent's personal data. */
async function mayReadExchange(e: ExchangeTable, ctx: Context): Promise<boolean> {
  const organisation = ctx.identity?.organisationId;
  if (!organisation) return false;
  if (e.host_organisation_id === organisation || e.home_organisation_id === organisation) return true;
  const talent = await ctx.loaders.talent.load(e.talent_id);
  return talent !== null && readsPersonalData(talent, ctx);
}

export const exchangeTalentFields: Pick<TalentResolvers, 'exchanges'> = {
  // The policy (talent_exchanges) has let the caller through; a caller who may not read the talent's personal data
  // got through as the host of some of them, and sees those only.
  exchanges: async (t, args, ctx) => {
    const whole = await readsPersonalData(t, ctx);
    const filter = { status: args.status ?? null, hostOrganisationId: whole ? null : ctx.identity!.organisationId };
    return ctx.loaders.exchangesOfTalent(filter).load(t.id, args);
  },
};

export const exchangeOrganisationFields: Pick<OrganisationResolvers, 'hostedExchanges'> = {
  // The policy (organisation_member) has let only the host's own users through.
  hostedExchanges: (o, args, ctx) => {
    const from = args.from == null ? null : checkCalendarDay(args.from, 'from');
    const to = args.to == null ? null : checkCalendarDay(args.to, 'to');
    checkRange(from, to, 'from', 'to');
    return ctx.loaders.hostedExchanges({ from, to, status: args.status ?? null }).load(o.id, args);
  },
};

export const exchangeResolvers: ExchangeResolvers = {
  // The gateway may pass any id; one the caller may not read resolves to null, as an unknown one does.
  __resolveReference: async (ref, ctx) => {
    if (!isUuid(ref.id)) return null;
    const e = await ctx.loaders.exchange.load(ref.id);
    return e && (await mayReadExchange(e, ctx)) ? e : null;
  },
  talent: (e, _, ctx) => loadExisting(ctx.loaders.talent, e.talent_id, 'talent'),
  homeOrganisation: (e) => ({ id: e.home_organisation_id }),
  hostOrganisation: (e) => ({ id: e.host_organisation_id }),
  region: (e) => (e.region_code === null ? null : { code: e.region_code }),
  programme: (e) => (e.programme_id === null ? null : { id: e.programme_id }),
  startsOn: (e) => e.starts_on,
  endsOn: (e) => e.ends_on,
  proposedAt: (e) => e.proposed_at,
};
