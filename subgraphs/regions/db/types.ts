import type { ColumnType } from 'kysely';
import type { AuditTable } from '@talent-hub/subgraph-lib/audit';
import type { OrganisationKind, ProgrammeKind } from '../generated/enums.js';

// Table types of the `regions` database. Dates are 'YYYY-MM-DD' strings and numerics exact decimal strings
// (see packages/subgraph-lib/db.ts). Columns holding a schema enum's values (the migrations' check constraints keep
// them so) have that enum's type.

export interface RegionTable {
  code: string;
  name: string;
  level: number;
  country_code: string;
  parent_code: string | null;
}

export interface OrganisationTable {
  id: string;
  name: string;
  acronym: string | null;
  kind: OrganisationKind;
  description: string | null;
  website: string | null;
  founded_year: number | null;
  region_code: string | null;
  parent_id: string | null;
}

export interface OrganisationLeaderTable {
  organisation_id: string;
  position: number;
  name: string;
  role: string;
}

export interface OrganisationFigureTable {
  organisation_id: string;
  code: string;
  name: string;
  value: string;
  unit: string;
  as_of: string | null;
}

/** A direct membership: `member_id` belongs to the network `network_id` (never itself). */
export interface OrganisationMembershipTable {
  network_id: string;
  member_id: string;
  /** The day it joined, when known. */
  joined_on: string | null;
}

export interface ProgrammeTable {
  id: string;
  name: string;
  kind: ProgrammeKind;
  description: string | null;
  legal_basis: string | null;
  period_start: string | null;
  period_end: string | null;
  currency: string | null;
  budget_amount: string | null;
  max_contribution_amount: string | null;
  cofinancing_rate: string | null;
  funding_source: string | null;
  objectives: string[];
  aligned_strategies: string[];
  managing_organisation_id: string | null;
  initiated_by_id: string | null;
  owner_organisation_id: string;
}

export interface ProgrammeLegalActTable {
  programme_id: string;
  position: number;
  reference: string;
  role: string;
  adopted_on: string | null;
}

export interface ProgrammePartnerTable {
  programme_id: string;
  organisation_id: string;
}

export interface ProgrammeRegionTable {
  programme_id: string;
  region_code: string;
}

export interface ProjectTable {
  id: string;
  programme_id: string;
  position: number;
  name: string;
  region_code: string | null;
  period_start: string | null;
  period_end: string | null;
  synthetic: boolean;
}

export interface ProgrammeServiceTable {
  programme_id: string;
  position: number;
  name: string;
}

export interface IndicatorTable {
  programme_id: string;
  code: string;
  name: string;
  value: string;
  target: string | null;
  unit: string;
  as_of: string | null;
}

export interface DemoSeedTable {
  name: string;
  version: number;
  seeded_at: ColumnType<Date, Date, Date>;
}

export interface RegionsDatabase {
  regions: RegionTable;
  organisations: OrganisationTable;
  organisation_leaders: OrganisationLeaderTable;
  organisation_figures: OrganisationFigureTable;
  organisation_memberships: OrganisationMembershipTable;
  programmes: ProgrammeTable;
  programme_legal_acts: ProgrammeLegalActTable;
  programme_partners: ProgrammePartnerTable;
  programme_regions: ProgrammeRegionTable;
  projects: ProjectTable;
  programme_services: ProgrammeServiceTable;
  indicators: IndicatorTable;
  demo_seed: DemoSeedTable;
  audit_log: AuditTable['audit_log'];
}

