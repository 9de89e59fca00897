import type { Connection } from '@talent-hub/subgraph-lib/pagination';
import type { EntityRef } from '@talent-hub/subgraph-lib/subgraph';
import type { EventRow, RegistrationRow } from './db/types.js';
import type { SkillGapReason } from './generated/enums.js';

// What each GraphQL type's resolvers receive as their parent here: the row the repository read, a page of rows, or
// a reference to another subgraph's entity (the gateway fetches its other fields there). `npm run codegen` maps
// every `<Type>Model` below onto the schema's type of that name (generated/resolvers.ts).

export type EventModel = EventRow;
export type RegistrationModel = RegistrationRow;
export type EventConnectionModel = Connection<EventRow>;
export type RegistrationConnectionModel = Connection<RegistrationRow>;
export type RegionModel = EntityRef<'code'>;
export type OrganisationModel = EntityRef<'id'>;
export type ProgrammeModel = EntityRef<'id'>;
export type SkillModel = EntityRef<'uri'>;

/** A skill a talent wants, as the talents subgraph sends it (through `@requires`). */
export interface SkillGapModel {
  skillUri: string;
  reason: SkillGapReason;
}

/**
 * A talent as the gateway hands it over: its key and, for the fields that `@require` them, the fields the talents
 * subgraph computed for the caller. Absent when not required (or when called without the gateway): then nothing
 * personal is readable.
 */
export type TalentModel = EntityRef<'id'> & {
  personalDataReadable?: boolean | null;
  skillGaps?: readonly SkillGapModel[] | null;
};

/** A completed training is the talent's COMPLETED registration (one with a completion day). */
export type CompletedTrainingModel = RegistrationRow;
export type CompletedTrainingConnectionModel = Connection<RegistrationRow>;

/** One wanted skill a recommended event teaches. */
export interface RecommendationReasonModel {
  skillUri: string;
  reason: SkillGapReason;
}

export interface TrainingRecommendationModel {
  event: EventRow;
  reasons: RecommendationReasonModel[];
}
