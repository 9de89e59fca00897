import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.

// Rollups for `talentStatistics` (issue 14, "aggregates in milliseconds"): the talent counts and record-key sums
// of the dashboard aggregates, kept per cell, so that a common aggregate reads as many rows as it has cells instead
// of every talent. subgraphs/talents/db/statistics-rollup.ts reads them.
//
// - `talent_statistics_shapes`: the groupings kept, one row each: a NUTS level of the residence region (null: no
//   region), and whether category, citizenship, career stage and skill are kept. `estimate` is a rough bound of a
//   shape's cells (regions ~ 40 / 120 / 300 / 1,200 at levels 0 to 3, 5 categories, ~60 citizenships, 4 career
//   stages, ~300 skills): the reader takes the smallest shape that holds what a request groups and filters by.
//   `ready` is false while the rollups are stale (a bulk load deferred them, below): readers then use the raw
//   statement.
// - `talent_statistics_grains`: per talent, the finest grain it is counted with (residence code, category,
//   citizenship, career stage, record key, skills in order). A change is applied as the difference between the
//   cells of the grain stored here and of the talent as it is now; whatever order rows change in (a talent's
//   skills, the talent, a cascade), the rollups follow the tables.
// - `talent_statistics_rollup`: per shape and cell, how many talents and the sum of their record keys (the cell
//   key method, packages/subgraph-lib/disclosure.ts: the same set of people gives the same sum, rollup or not).
//   Columns a shape does not keep are null; region is the residence code's first `level + 2` characters, as the
//   raw statement groups it, and null for talents without a residence, as theirs. A talent with no skill counts in
//   the skill shapes' null cell, as the raw statement's left join does. Cells reaching 0 are deleted.
//
// Maintenance: statement-level triggers with transition tables on `talents` and `talent_skills` refresh the talents
// a statement touched, in the same transaction, with one grouped upsert of the net differences (in key order, so
// that concurrent writers lock cells in the same order). Each refresh first locks the talents' grain rows, so that
// concurrent refreshes of one talent apply one after the other, each from the grain the other left.
// Bulk loads (scripts/generate) `set local talent_hub.rollups = 'deferred'`: the triggers then only mark the
// rollups stale, and `select talent_statistics_rebuild()` recomputes them once at the end of the load. A TRUNCATE
// rebuilds them too.
// Layout: a rebuild writes the cells in shape order, and refreshes update them in place (fillfactor 70, and no index
// on the counts, so updates are HOT and stay on their page): a shape's cells stay on few pages, which is what a
// read costs.
const statements = [
  `create table talent_statistics_shapes (
      id smallint primary key,
      region_level smallint check (region_level between 0 and 3),
      has_category boolean not null,
      has_citizenship boolean not null,
      has_career_stage boolean not null,
      has_skill boolean not null,
      estimate integer not null,
      ready boolean not null default true,
      unique nulls not distinct (region_level, has_category, has_citizenship, has_career_stage, has_skill)
    )`,
  // Every grouping of region (no region, or level 0 to 3) with any of category, citizenship and career stage; and
  // skill with at most one other dimension, or with category and career stage.
  `insert into talent_statistics_shapes (id, region_level, has_category, has_citizenship, has_career_stage, has_skill, estimate)
    select row_number() over (order by s.has_skill, s.region_level nulls first, s.has_category, s.has_citizenship, s.has_career_stage),
           s.*,
           (case s.region_level when 0 then 40 when 1 then 120 when 2 then 300 when 3 then 1200 else 1 end)
             * (case when s.has_category then 5 else 1 end) * (case when s.has_citizenship then 60 else 1 end)
             * (case when s.has_career_stage then 4 else 1 end) * (case when s.has_skill then 300 else 1 end)
    from (
      select l.level as region_level, c, z, k, false as has_skill
      from (values (null::smallint), (0::smallint), (1::smallint), (2::smallint), (3::smallint)) as l(level),
           (values (false), (true)) as c(c), (values (false), (true)) as z(z), (values (false), (true)) as k(k)
      where l.level is not null or c or z or k
      union all
      select * from (values
        (null::smallint, false, false, false, true), (null, true, false, false, true), (null, false, true, false, true),
        (null, false, false, true, true), (null, true, false, true, true),
        (0, false, false, false, true), (1, false, false, false, true), (2, false, false, false, true)
      ) as v
    ) as s(region_level, has_category, has_citizenship, has_career_stage, has_skill)`,

  `create table talent_statistics_grains (
      talent_id uuid primary key,
      region_code text,
      category text not null,
      citizenship text not null,
      career_stage text,
      record_key smallint not null,
      skill_uris text[] not null
    )`,

  `create table talent_statistics_rollup (
      shape smallint not null references talent_statistics_shapes (id),
      region_code text,
      category text,
      citizenship text,
      career_stage text,
      skill_uri text,
      talents integer not null,
      key_sum bigint not null,
      unique nulls not distinct (shape, region_code, category, citizenship, career_stage, skill_uri)
    ) with (fillfactor = 70)`,

  // The cells of one grain, one row per shape (per skill in skill shapes).
  `create function talent_statistics_cells(region_code text, category text, citizenship text, career_stage text, skill_uris text[])
    returns table (shape smallint, region_code text, category text, citizenship text, career_stage text, skill_uri text)
    language sql stable as $$
      select s.id,
             case when s.region_level is not null then left($1, s.region_level + 2) end,
             case when s.has_category then $2 end,
             case when s.has_citizenship then $3 end,
             case when s.has_career_stage then $4 end,
             k.skill_uri
      from talent_statistics_shapes s
      cross join lateral unnest(case when s.has_skill and cardinality($5) > 0 then $5 else array[null::text] end) as k(skill_uri)
    $$`,

  // Brings the rollups of these talents up to date with the tables.
  `create function talent_statistics_refresh(ids uuid[]) returns void language plpgsql as $$
    declare
      emptied tid[];
    begin
      if cardinality(ids) = 0 then return; end if;
      perform 1 from talent_statistics_grains where talent_id = any(ids) order by talent_id for update;
      -- A new statement, so a new snapshot: it sees what a concurrent refresh of these talents committed.
      with current as (
        select t.id as talent_id, t.residence_region_code as region_code, t.category, cast(t.citizenship as text) as citizenship,
               t.career_stage, t.record_key,
               array(select ts.skill_uri from talent_skills ts where ts.talent_id = t.id order by ts.skill_uri) as skill_uris
        from talents t where t.id = any(ids)
      ),
      counted as (select * from talent_statistics_grains where talent_id = any(ids)),
      -- Each changed talent's grain as counted (sign -1) and as it is now (sign +1).
      changes as (
        select o.*, -1 as sign from counted o
        where not exists (select 1 from current n where n.talent_id = o.talent_id and row(n.*) is not distinct from row(o.*))
        union all
        select n.*, 1 from current n
        where not exists (select 1 from counted o where o.talent_id = n.talent_id and row(o.*) is not distinct from row(n.*))
      ),
      gone as (
        delete from talent_statistics_grains
        where talent_id in (select talent_id from changes where sign < 0 except select talent_id from changes where sign > 0)
      ),
      counted_now as (
        insert into talent_statistics_grains as g
          select talent_id, region_code, category, citizenship, career_stage, record_key, skill_uris from changes where sign > 0
        on conflict (talent_id) do update set region_code = excluded.region_code, category = excluded.category,
          citizenship = excluded.citizenship, career_stage = excluded.career_stage, record_key = excluded.record_key,
          skill_uris = excluded.skill_uris
      ),
      applied as (
        insert into talent_statistics_rollup as r (shape, region_code, category, citizenship, career_stage, skill_uri, talents, key_sum)
          select c.shape, c.region_code, c.category, c.citizenship, c.career_stage, c.skill_uri, sum(g.sign), sum(g.sign * g.record_key)
          from changes g
          cross join lateral talent_statistics_cells(g.region_code, g.category, g.citizenship, g.career_stage, g.skill_uris) c
          group by c.shape, c.region_code, c.category, c.citizenship, c.career_stage, c.skill_uri
          having sum(g.sign) <> 0 or sum(g.sign * g.record_key) <> 0
          order by c.shape, c.region_code, c.category, c.citizenship, c.career_stage, c.skill_uri
          on conflict (shape, region_code, category, citizenship, career_stage, skill_uri)
          do update set talents = r.talents + excluded.talents, key_sum = r.key_sum + excluded.key_sum
          returning r.ctid, r.talents
      )
      select array_agg(ctid) into emptied from applied where talents = 0;
      -- Emptied cells by their row address (locked by this transaction's update, so it cannot move).
      if emptied is not null then delete from talent_statistics_rollup where ctid = any(emptied); end if;
    end
  $$`,

  // Recomputes every rollup from the tables (after a deferred bulk load, or a TRUNCATE).
  `create function talent_statistics_rebuild() returns void language plpgsql as $$
    begin
      truncate talent_statistics_rollup, talent_statistics_grains;
      insert into talent_statistics_grains
        select t.id, t.residence_region_code, t.category, cast(t.citizenship as text), t.career_stage, t.record_key,
               coalesce(s.skill_uris, '{}')
        from talents t
        left join (
          select talent_id, array_agg(skill_uri order by skill_uri) as skill_uris from talent_skills group by talent_id
        ) s on s.talent_id = t.id;
      insert into talent_statistics_rollup (shape, region_code, category, citizenship, career_stage, skill_uri, talents, key_sum)
        select c.shape, c.region_code, c.category, c.citizenship, c.career_stage, c.skill_uri, count(*), sum(g.record_key)
        from talent_statistics_grains g
        cross join lateral talent_statistics_cells(g.region_code, g.category, g.citizenship, g.career_stage, g.skill_uris) c
        group by c.shape, c.region_code, c.category, c.citizenship, c.career_stage, c.skill_uri
        order by c.shape, c.region_code, c.category, c.citizenship, c.career_stage, c.skill_uri;
      update talent_statistics_shapes set ready = true where not ready;
    end
  $$`,

  // True (after marking the rollups stale) when this transaction's bulk load deferred them.
  `create function talent_statistics_deferred() returns boolean language plpgsql as $$
    begin
      if coalesce(current_setting('talent_hub.rollups', true), '') <> 'deferred' then return false; end if;
      update talent_statistics_shapes set ready = false where ready;
      return true;
    end
  $$`,

  `create function talent_statistics_talents_changed() returns trigger language plpgsql as $$
    begin
      if talent_statistics_deferred() then return null; end if;
      if tg_op = 'INSERT' then
        perform talent_statistics_refresh(array(select id from new_rows));
      elsif tg_op = 'UPDATE' then
        -- Only talents whose counted columns changed (a new name or mentoring capacity changes no cell).
        perform talent_statistics_refresh(array(
          select coalesce(n.id, o.id) from new_rows n full join old_rows o on o.id = n.id
          where row(n.id, n.residence_region_code, n.category, n.citizenship, n.career_stage, n.record_key)
                is distinct from row(o.id, o.residence_region_code, o.category, o.citizenship, o.career_stage, o.record_key)));
      else
        perform talent_statistics_refresh(array(select id from old_rows));
      end if;
      return null;
    end
  $$`,
  `create function talent_statistics_skills_changed() returns trigger language plpgsql as $$
    begin
      if talent_statistics_deferred() then return null; end if;
      if tg_op = 'INSERT' then
        perform talent_statistics_refresh(array(select distinct talent_id from new_rows));
      elsif tg_op = 'UPDATE' then
        -- Only talents that gained or lost a skill (a new level changes no cell).
        perform talent_statistics_refresh(array(
          select talent_id from (
            (select talent_id, skill_uri from new_rows except select talent_id, skill_uri from old_rows)
            union (select talent_id, skill_uri from old_rows except select talent_id, skill_uri from new_rows)
          ) changed group by talent_id));
      else
        perform talent_statistics_refresh(array(select distinct talent_id from old_rows));
      end if;
      return null;
    end
  $$`,
  `create function talent_statistics_truncated() returns trigger language plpgsql as $$
    begin
      if not talent_statistics_deferred() then perform talent_statistics_rebuild(); end if;
      return null;
    end
  $$`,
  // A trigger with transition tables takes one event.
  `create trigger talent_statistics_insert after insert on talents
    referencing new table as new_rows for each statement execute function talent_statistics_talents_changed()`,
  `create trigger talent_statistics_update after update on talents
    referencing old table as old_rows new table as new_rows for each statement execute function talent_statistics_talents_changed()`,
  `create trigger talent_statistics_delete after delete on talents
    referencing old table as old_rows for each statement execute function talent_statistics_talents_changed()`,
  `create trigger talent_statistics_truncate after truncate on talents
    for each statement execute function talent_statistics_truncated()`,
  `create trigger talent_statistics_insert after insert on talent_skills
    referencing new table as new_rows for each statement execute function talent_statistics_skills_changed()`,
  `create trigger talent_statistics_update after update on talent_skills
    referencing old table as old_rows new table as new_rows for each statement execute function talent_statistics_skills_changed()`,
  `create trigger talent_statistics_delete after delete on talent_skills
    referencing old table as old_rows for each statement execute function talent_statistics_skills_changed()`,
  `create trigger talent_statistics_truncate after truncate on talent_skills
    for each statement execute function talent_statistics_truncated()`,
  // The rollups of the talents already there.
  `select talent_statistics_rebuild()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement per query: the embedded store (PGlite) prepares each query and cannot take several at once.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['talents', 'talent_skills']) {
    for (const event of ['insert', 'update', 'delete', 'truncate']) await sql.raw(`drop trigger talent_statistics_${event} on ${table}`).execute(db);
  }
  await sql`drop function talent_statistics_truncated, talent_statistics_skills_changed, talent_statistics_talents_changed, talent_statistics_deferred, talent_statistics_rebuild, talent_statistics_refresh, talent_statistics_cells`.execute(
    db,
  );
  await sql`drop table talent_statistics_rollup, talent_statistics_grains, talent_statistics_shapes`.execute(db);
}
