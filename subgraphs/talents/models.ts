import type { Connection } from '@talent-hub/subgraph-lib/pagination';
import type { EntityRef } from '@talent-hub/subgraph-lib/subgraph';
import type { SkillTable, TalentRow } from './db/types.js';
import type { MentorMatch } from './db/matching.js';
import type { ExchangeTable, MentorshipTable } from './db/types.js';

// What each GraphQL type's resolvers receive as their parent here: the row the repository read, a page of rows, or
// a reference to another subgraph's entity (the gateway fetches its other fields there). `npm run codegen` maps
// every `<Type>Model` below onto the schema's type of that name (generated/resolvers.ts).

export type TalentModel = TalentRow;
export type SkillModel = SkillTable;
export type TalentConnectionModel = Connection<TalentRow>;
export type SkillConnectionModel = Connection<SkillTable>;
export type RegionModel = EntityRef<'code'>;
export type OrganisationModel = EntityRef<'id'>;
export type ProgrammeModel = EntityRef<'id'>;
// Mentoring and exchanges (mentoring.ts, exchanges.ts, matching.ts): rows, pages of rows, and a computed match,
// whose reasons are read from the same object.
export type MentorshipModel = MentorshipTable;
export type MentorshipConnectionModel = Connection<MentorshipTable>;
export type ExchangeModel = ExchangeTable;
export type ExchangeConnectionModel = Connection<ExchangeTable>;
export type MentorMatchModel = MentorMatch;
export type MatchReasonsModel = MentorMatch;
