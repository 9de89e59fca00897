import { requireOwner } from '@talent-hub/subgraph-lib/auth';
import { writeAudit } from '@talent-hub/subgraph-lib/audit';
import { invalidInput, notFound, type FieldProblem } from '@talent-hub/platform/errors';
import type { Identity } from '@talent-hub/platform/identity';
import type { Context } from './context.js';
import type { EventRow, RegistrationRow } from './db/types.js';
import type { MutationResolvers } from './generated/resolvers.js';
import * as writes from './db/writes.js';
import { eventReferenceProblems, mayRegister, talentRightForWrite } from './peer-checks.js';
import {
  checkAttendance,
  checkEventInput,
  eventIdOf,
  eventIdProblems,
  registrationIdProblems,
  talentIdProblems,
  type AttendanceMark,
  type CheckedEvent,
  type EventCheck,
  type EventInput,
} from './input.js';

// The subgraph's writes. Each runs in one transaction: check the arguments' shapes (every problem at once), lock
// the row it changes, check that the caller may change it (requireOwner, against the locked row), apply the
// rules, write, and leave one audit row. Nothing is read through the request's loaders inside a transaction
// (they use the pool, and on the embedded store the pool is the one connection the transaction holds).
// The `@authenticated` and `@requiresScopes` directives have already turned away anonymous callers and callers
// without the role before any of this runs.

type Db = Context['db'];

const refuse = (field: string, message: string) => invalidInput([{ field, message }]);

function rejectProblems(problems: FieldProblem[]): void {
  if (problems.length > 0) throw invalidInput(problems);
}

/** The checked event, once there is no problem (checkEventInput makes one exactly then). */
function acceptedEvent(check: EventCheck): CheckedEvent {
  rejectProblems(check.problems);
  if (!check.event) throw invalidInput([{ field: 'input', message: 'is incomplete' }]);
  return check.event;
}

/** The caller of a write; the directives guarantee one, this keeps the type honest. */
function actor(ctx: Context): { identity: Identity; requestId: string } {
  if (!ctx.identity) throw new Error('A write reached its resolver without an identity');
  return { identity: ctx.identity, requestId: ctx.requestId };
}

async function lockEventOrRefuse(trx: Db, id: string, field: string): Promise<writes.LockedEvent> {
  const event = await writes.lockEvent(trx, id);
  if (!event) throw notFound('event', field);
  return event;
}

const started = (event: writes.LockedEvent) => event.starts_at.getTime() <= event.now.getTime();

/**
 * The problems of a programme and partners given in an event input, as regions sees them (peer-checks.ts), for the
 * fields whose shape is right (a malformed one already has its problem). Asked before the write's transaction.
 */
async function referenceProblems(ctx: Context, input: EventInput, problems: readonly FieldProblem[], organiserId: string): Promise<FieldProblem[]> {
  const malformed = (field: string) => problems.some((p) => p.field === field || p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`));
  return eventReferenceProblems(
    ctx.peers,
    {
      programmeId: input.programmeId && !malformed('input.programmeId') ? input.programmeId : null,
      partnerIds: input.partnerIds && !malformed('input.partnerIds') ? input.partnerIds : undefined,
    },
    organiserId,
  );
}

async function createEvent(ctx: Context, input: EventInput): Promise<EventRow> {
  const who = actor(ctx);
  const organiserId = who.identity.organisationId;
  const check = checkEventInput(input, null, organiserId);
  const id = eventIdOf(input);
  if ('problem' in id) check.problems.unshift(id.problem);
  check.problems.push(...(await referenceProblems(ctx, input, check.problems, organiserId)));
  const event = acceptedEvent(check);
  const eventId = (id as { id: string }).id;
  return ctx.db.transaction().execute(async (trx) => {
    const inserted = await writes.insertEvent(trx, { id: eventId, organiser_id: organiserId, synthetic: false, ...event.columns });
    if (!inserted) {
      throw refuse('input.id', `an event with the id "${eventId}" already exists; choose another id${input.id == null ? ' (give input.id)' : ''}`);
    }
    if (event.partnerIds?.length) await writes.replacePartners(trx, eventId, event.partnerIds);
    if (event.skillUris?.length) await writes.replaceSkills(trx, eventId, event.skillUris);
    await writeAudit(trx, who, { action: 'event.create', entityType: 'Event', entityId: eventId });
    return (await writes.lockEvent(trx, eventId))!;
  });
}

async function updateEvent(ctx: Context, id: string, input: EventInput): Promise<EventRow> {
  const who = actor(ctx);
  rejectProblems(eventIdProblems(id, 'id'));
  if (Object.values(input).every((value) => value === undefined)) throw refuse('input', 'give at least one field to change');
  // A new programme or new partners are checked against regions before the transaction (no lock waits on another
  // subgraph); the organiser, whose programmes count, never changes, so it is read here without a lock.
  let remoteProblems: FieldProblem[] = [];
  if (input.programmeId || input.partnerIds?.length) {
    const known = await ctx.loaders.event.load(id);
    if (!known) throw notFound('event', 'id');
    requireOwner(who.identity, known.organiser_id, 'change this event');
    remoteProblems = await referenceProblems(ctx, input, checkEventInput(input, known, known.organiser_id).problems, known.organiser_id);
  }
  return ctx.db.transaction().execute(async (trx) => {
    const current = await lockEventOrRefuse(trx, id, 'id');
    requireOwner(who.identity, current.organiser_id, 'change this event');
    if (current.cancelled_at) throw refuse('id', 'the event was cancelled; a cancelled event cannot be changed');
    const check = checkEventInput(input, current, current.organiser_id);
    check.problems.push(...remoteProblems);
    const { capacity, problems } = check;
    const raised = current.capacity !== null && (capacity === null || capacity > current.capacity);
    if (capacity !== null && (current.capacity === null || capacity < current.capacity) && !problems.some((p) => p.field === 'input.capacity')) {
      // Lowering the capacity never takes a seat away from someone who holds one: refused below the seats taken.
      const { taken } = await writes.seatState(trx, id);
      if (capacity < taken) {
        problems.push({ field: 'input.capacity', message: `${taken} seats are taken; the capacity cannot be lower (cancel registrations first)` });
      }
    }
    const event = acceptedEvent(check);
    await writes.updateEvent(trx, id, event.columns);
    if (event.partnerIds) await writes.replacePartners(trx, id, event.partnerIds);
    if (event.skillUris) await writes.replaceSkills(trx, id, event.skillUris);
    if (raised) await writes.promoteWaitlisted(trx, [id]);
    await writeAudit(trx, who, { action: 'event.update', entityType: 'Event', entityId: id });
    return (await writes.lockEvent(trx, id))!;
  });
}

async function cancelEvent(ctx: Context, id: string): Promise<EventRow> {
  const who = actor(ctx);
  rejectProblems(eventIdProblems(id, 'id'));
  return ctx.db.transaction().execute(async (trx) => {
    const event = await lockEventOrRefuse(trx, id, 'id');
    requireOwner(who.identity, event.organiser_id, 'cancel this event');
    if (event.cancelled_at) return event;
    if (event.ends_at.getTime() <= event.now.getTime()) throw refuse('id', 'the event has ended; it can no longer be cancelled');
    await writes.markEventCancelled(trx, id);
    await writes.cancelOpenRegistrations(trx, id);
    await writeAudit(trx, who, { action: 'event.cancel', entityType: 'Event', entityId: id });
    return (await writes.lockEvent(trx, id))!;
  });
}

async function registerForEvent(ctx: Context, eventId: string, talentId: string): Promise<RegistrationRow> {
  const who = actor(ctx);
  rejectProblems([...eventIdProblems(eventId), ...talentIdProblems(talentId)]);
  // Who may register whom is decided by the talents subgraph's answer, before the transaction (no lock waits on
  // another subgraph). The event is read first for its organiser, which never changes; its state is checked again
  // under its lock below. The check comes before the idempotent return too, so that another organisation cannot
  // read a registration by asking to make it.
  const known = await ctx.loaders.event.load(eventId);
  if (!known) throw notFound('event', 'eventId');
  const right = await talentRightForWrite(ctx.peers, talentId, who.identity.organisationId);
  if (!mayRegister(right, who.identity.organisationId, known.organiser_id)) {
    throw refuse(
      'talentId',
      "no talent the caller's organisation may register has this id (not found, or neither its own talent nor, for the event's organiser, one who consented to share personal data with it)",
    );
  }
  const talentOrganisationId = right!.organisationId!;
  return ctx.db.transaction().execute(async (trx) => {
    // Idempotent: a talent holds one registration per event; asking again returns it as it stands, without
    // queueing for the event's lock (a retry must not wait behind a rush of newcomers).
    const held = await writes.findRegistration(trx, eventId, talentId);
    if (held && held.status !== 'CANCELLED') return held;
    // Before the event's lock, so that the time the lock is held (which bounds registrations per second for
    // one event) is spent on the decision only. The talent's lock keeps an erasure from slipping in meanwhile.
    await writes.lockTalent(trx, talentId, 'shared');
    if (await writes.isErased(trx, talentId)) throw refuse('talentId', "the talent's data was erased; the talent cannot be registered");

    const event = await lockEventOrRefuse(trx, eventId, 'eventId');
    const problems: FieldProblem[] = [];
    if (event.cancelled_at) problems.push({ field: 'eventId', message: 'the event was cancelled' });
    else if (started(event)) problems.push({ field: 'eventId', message: 'the event has started; registration is closed' });
    else if (event.registration_deadline && event.registration_deadline.getTime() < event.now.getTime()) {
      problems.push({ field: 'eventId', message: "the event's registration deadline has passed" });
    }
    rejectProblems(problems);

    const registration = await writes.registerArrival(trx, { eventId, talentId, organisationId: who.identity.organisationId, talentOrganisationId });
    // Nothing written: a concurrent request for the same talent registered it first.
    if (!registration) return (await writes.findRegistration(trx, eventId, talentId))!;
    const { inserted, ...row } = registration;
    await writeAudit(trx, who, {
      action: inserted ? 'registration.create' : 'registration.reactivate',
      entityType: 'Registration',
      entityId: row.id,
    });
    return row;
  });
}

async function cancelRegistration(ctx: Context, eventId: string, talentId: string): Promise<RegistrationRow> {
  const who = actor(ctx);
  rejectProblems([...eventIdProblems(eventId), ...talentIdProblems(talentId)]);
  return ctx.db.transaction().execute(async (trx) => {
    const event = await lockEventOrRefuse(trx, eventId, 'eventId');
    const registration = await writes.lockRegistration(trx, eventId, talentId);
    if (!registration) throw refuse('talentId', 'the talent has no registration for this event');
    // The organiser may cancel any registration of its event; anyone else only those of its own organisation.
    const owner = who.identity.organisationId === event.organiser_id
      ? event.organiser_id
      : (registration.registered_by_organisation_id ?? event.organiser_id);
    requireOwner(who.identity, owner, 'cancel this registration');
    if (registration.status === 'CANCELLED') return registration;
    if (registration.status !== 'REGISTERED' && registration.status !== 'WAITLISTED') {
      throw refuse('talentId', `the registration is ${registration.status}; it can no longer be cancelled`);
    }
    const cancelled = await writes.setRegistrationStatus(trx, registration.id, 'CANCELLED');
    if (registration.status === 'REGISTERED') await writes.promoteWaitlisted(trx, [eventId]);
    await writeAudit(trx, who, { action: 'registration.cancel', entityType: 'Registration', entityId: registration.id });
    return cancelled;
  });
}

/**
 * markAttended and markCompleted: the event's organiser records what happened at its event. The registration is
 * read first without a lock, only to learn its event: the event's lock comes first (the locking order), then the
 * registration's, read again (an erasure may have deleted it meanwhile: then NOT_FOUND, as for an unknown id).
 * Marking again what is already recorded writes nothing and leaves no audit row.
 */
async function markAttendance(ctx: Context, registrationId: string, mark: AttendanceMark): Promise<RegistrationRow> {
  const who = actor(ctx);
  rejectProblems(registrationIdProblems(registrationId));
  return ctx.db.transaction().execute(async (trx) => {
    const found = await writes.findRegistrationById(trx, registrationId);
    if (!found) throw notFound('registration', 'registrationId');
    const event = await lockEventOrRefuse(trx, found.event_id, 'registrationId');
    const registration = await writes.lockRegistrationById(trx, registrationId);
    if (!registration) throw notFound('registration', 'registrationId');
    requireOwner(who.identity, event.organiser_id, 'record attendance and completion at this event');
    const check = checkAttendance(mark, registration, event, event.now);
    if (check.unchanged) return registration;
    rejectProblems(check.problems);
    const updated = await writes.recordAttendance(trx, registration.id, check.values!);
    await writeAudit(trx, who, {
      action: mark.kind === 'attended' ? 'registration.attend' : 'registration.complete',
      entityType: 'Registration',
      entityId: registration.id,
    });
    return updated;
  });
}

/** Erasure of a talent, for the talents subgraph (service callers only, by the schema's directives). */
async function eraseTalentData(ctx: Context, talentId: string): Promise<number> {
  const who = actor(ctx);
  rejectProblems(talentIdProblems(talentId));
  return ctx.db.transaction().execute(async (trx) => {
    await writes.lockTalent(trx, talentId, 'exclusive');
    await writes.lockEventsOfTalent(trx, talentId);
    const deleted = await writes.deleteRegistrationsOfTalent(trx, talentId);
    const freed = [...new Set(deleted.filter((r) => r.status === 'REGISTERED').map((r) => r.event_id))];
    await writes.promoteWaitlisted(trx, freed);
    await writes.recordErasure(trx, talentId);
    await writeAudit(trx, who, { action: 'talent.erase', entityType: 'Talent', entityId: talentId });
    return deleted.length;
  });
}

export const mutationResolvers: MutationResolvers = {
  createEvent: (_, args, ctx) => createEvent(ctx, args.input),
  updateEvent: (_, args, ctx) => updateEvent(ctx, args.id, args.input),
  cancelEvent: (_, args, ctx) => cancelEvent(ctx, args.id),
  registerForEvent: (_, args, ctx) => registerForEvent(ctx, args.eventId, args.talentId),
  cancelRegistration: (_, args, ctx) => cancelRegistration(ctx, args.eventId, args.talentId),
  markAttended: (_, args, ctx) => markAttendance(ctx, args.registrationId, { kind: 'attended', attendedOn: args.attendedOn }),
  markCompleted: (_, args, ctx) =>
    markAttendance(ctx, args.registrationId, { kind: 'completed', completedOn: args.completedOn, attendedOn: args.attendedOn ?? null }),
  eraseTalentData: (_, args, ctx) => eraseTalentData(ctx, args.talentId),
};
