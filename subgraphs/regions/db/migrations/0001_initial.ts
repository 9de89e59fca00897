import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.

// One statement per query: the embedded store (PGlite) prepares each query and cannot take several at once.
const statements = `
    create table demo_seed (
      name text primary key,
      version integer not null,
      seeded_at timestamptz not null
    );

    create table regions (
      code text primary key check (code ~ '^[A-Z]{2}[A-Z0-9]{0,3}$'),
      name text not null,
      level smallint not null check (level between 0 and 3),
      country_code text not null check (country_code ~ '^[A-Z]{2}$'),
      parent_code text references regions (code),
      check ((level = 0) = (parent_code is null))
    );
    create index regions_parent_idx on regions (parent_code, code);
    create index regions_country_level_idx on regions (country_code, level, code);
    create index regions_level_idx on regions (level, code);

    create table organisations (
      id text primary key check (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name text not null,
      acronym text,
      kind text not null check (kind in ('NETWORK', 'REGIONAL_AUTHORITY', 'LOCAL_AUTHORITY', 'AGENCY', 'MINISTRY',
        'UNIVERSITY', 'RESEARCH_CENTRE', 'COMPANY', 'NGO')),
      description text,
      website text,
      founded_year smallint,
      region_code text references regions (code),
      parent_id text references organisations (id)
    );
    create index organisations_kind_idx on organisations (kind, id);
    create index organisations_region_idx on organisations (region_code, id);
    create index organisations_parent_idx on organisations (parent_id, id);

    create table organisation_leaders (
      organisation_id text not null references organisations (id) on delete cascade,
      position smallint not null,
      name text not null,
      role text not null,
      primary key (organisation_id, position)
    );

    create table organisation_figures (
      organisation_id text not null references organisations (id) on delete cascade,
      code text not null,
      name text not null,
      value numeric not null,
      unit text not null,
      as_of date,
      primary key (organisation_id, code)
    );

    create table programmes (
      id text primary key check (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name text not null,
      kind text not null check (kind in ('PROGRAMME', 'PROJECT', 'INITIATIVE')),
      description text,
      legal_basis text,
      period_start date,
      period_end date,
      currency char(3) check (currency ~ '^[A-Z]{3}$'),
      budget_amount numeric(16, 2) check (budget_amount >= 0),
      max_contribution_amount numeric(16, 2) check (max_contribution_amount >= 0),
      cofinancing_rate numeric check (cofinancing_rate between 0 and 1),
      funding_source text,
      objectives text[] not null default '{}',
      aligned_strategies text[] not null default '{}',
      managing_organisation_id text references organisations (id),
      initiated_by_id text references organisations (id),
      owner_organisation_id text not null references organisations (id),
      check (period_end is null or period_start <= period_end),
      check ((budget_amount is null and max_contribution_amount is null) or currency is not null),
      check (max_contribution_amount is null or budget_amount is null or max_contribution_amount <= budget_amount)
    );
    create index programmes_managing_idx on programmes (managing_organisation_id, id);

    create table programme_legal_acts (
      programme_id text not null references programmes (id) on delete cascade,
      position smallint not null,
      reference text not null,
      role text not null,
      adopted_on date,
      primary key (programme_id, position)
    );

    create table programme_partners (
      programme_id text not null references programmes (id) on delete cascade,
      organisation_id text not null references organisations (id),
      primary key (programme_id, organisation_id)
    );

    create table programme_regions (
      programme_id text not null references programmes (id) on delete cascade,
      region_code text not null references regions (code),
      primary key (programme_id, region_code)
    );
    create index programme_regions_region_idx on programme_regions (region_code text_pattern_ops, programme_id);

    create table projects (
      id text primary key check (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      programme_id text not null references programmes (id) on delete cascade,
      position smallint not null,
      name text not null,
      region_code text references regions (code),
      period_start date,
      period_end date,
      synthetic boolean not null default false,
      unique (programme_id, position)
    );

    create table programme_services (
      programme_id text not null references programmes (id) on delete cascade,
      position smallint not null,
      name text not null,
      primary key (programme_id, position)
    );

    create table indicators (
      programme_id text not null references programmes (id) on delete cascade,
      code text not null,
      name text not null,
      value numeric not null,
      target numeric,
      unit text not null,
      as_of date,
      primary key (programme_id, code)
    );
`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements.split(/;\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table indicators, programme_services, projects, programme_regions, programme_partners,
      programme_legal_acts, programmes, organisation_figures, organisation_leaders, organisations, regions,
      demo_seed`.execute(db);
}
