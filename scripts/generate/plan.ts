import { createEventGenerator, type EventGenerator } from './events.js';
import type { GenerateOptions } from './options.js';
import type { RegistrationTable } from '@talent-hub/trainings/db/types';
import { generatedEventId } from './ids.js';
import { allocateRegistrations, eventRegistrations, shapeOf, type EventShape } from './registrations.js';
import type { Reference } from './reference.js';
import { createTalentGenerator, type TalentGenerator } from './talents.js';
import { generateMentoring, type MentoringData } from './mentoring.js';

/** Everything decided before a database is touched: the generators, and how registrations spread over events. */
export interface Plan {
  options: GenerateOptions;
  /** The seed files generated rows point at. */
  reference: Reference;
  talent: TalentGenerator;
  event: EventGenerator;
  shapes: EventShape[];
  /** Registrations per event. */
  counts: Int32Array;
  /** Mentorships and exchanges of the generated talents: made on first use, then kept (mentoring.ts). */
  mentoring: () => MentoringData;
  /** The organisation of each generated talent, by index: made on first use, then kept (registrations name it). */
  talentOrganisations: () => readonly string[];
}

/** Throws a CapacityError, before anything is written, when the registrations cannot fit the events. */
export function makePlan(reference: Reference, options: GenerateOptions): Plan {
  const event = createEventGenerator(reference, options.seed);
  const shapes = Array.from({ length: options.events }, (_, i) => shapeOf(event(i)));
  const talent = createTalentGenerator(reference, options.seed);
  let mentoring: MentoringData | undefined;
  let organisations: string[] | undefined;
  return {
    options,
    reference,
    talent,
    event,
    shapes,
    counts: allocateRegistrations(shapes, options.talents, options.registrations),
    mentoring: () => (mentoring ??= generateMentoring(reference, options.seed, options.talents, talent)),
    // The talents generator draws a talent's organisation among its other fields, so the talents are generated
    // once more here (a few seconds for 100k) rather than changing the streams every generated set comes from.
    talentOrganisations: () => (organisations ??= Array.from({ length: options.talents }, (_, i) => talent(i).talent.organisation_id)),
  };
}

/** The registrations, event by event, numbered across events so that their ids follow each other. */
export function* registrationsByEvent(plan: Plan): Generator<RegistrationTable[]> {
  const { seed, talents } = plan.options;
  let next = 0;
  for (let e = 0; e < plan.shapes.length; e++) {
    const count = plan.counts[e]!;
    if (count === 0) continue;
    const organisations = plan.talentOrganisations();
    yield eventRegistrations(seed, e, generatedEventId(e), plan.shapes[e]!, count, talents, next, (t) => organisations[t] ?? null);
    next += count;
  }
}
