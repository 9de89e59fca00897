import type { Connection } from '@talent-hub/subgraph-lib/pagination';
import type { OrganisationTable, ProgrammeTable, RegionTable } from './db/types.js';

// What each GraphQL type's resolvers receive as their parent here: the row the repository read, or a page of rows.
// `npm run codegen` maps every `<Type>Model` below onto the schema's type of that name (generated/resolvers.ts).

export type RegionModel = RegionTable;
export type OrganisationModel = OrganisationTable;
export type ProgrammeModel = ProgrammeTable;
export type RegionConnectionModel = Connection<RegionTable>;
export type OrganisationConnectionModel = Connection<OrganisationTable>;
export type ProgrammeConnectionModel = Connection<ProgrammeTable>;
/** A project as Programme.projects hands it on: its region is resolved from the code (Project.region). */
export interface ProjectModel {
  id: string;
  name: string;
  synthetic: boolean;
  period: { start: string; end: string | null } | null;
  regionCode: string | null;
}
