import type { Connection } from '@talent-hub/subgraph-lib/pagination';
import type { EntityRef } from '@talent-hub/subgraph-lib/subgraph';
import type { EventRow, RegistrationRow } from './db/types.js';

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
export type TalentModel = EntityRef<'id'>;
export type SkillModel = EntityRef<'uri'>;
