import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.
//
// 1. Indexes for event filters, in the list's keyset order (starts_at, id): attendance mode, and the region
//    prefix of each NUTS level above 3 (`left(region_code, 2|3|4)`), so that the events of a region and its
//    sub-regions are an ordered index seek; level 3 is the code itself (events_region_idx, 0001). The other
//    filters already have theirs (0001): kind, organiser, programme, start range.
// 2. Registration counts per event and status, kept up to date by statement-level triggers in the same
//    transaction as the change, so that dashboard aggregates over a million registrations read one small row
//    per event instead of every registration. Statement-level triggers with transition tables cost one
//    grouped write per statement, whatever the number of rows it touched (a COPY of a million rows included).

// One statement per query: the embedded store (PGlite) prepares each query and cannot take several at once.
// (Listed one by one: the function body holds semicolons.)
const statements = [
  `create index events_attendance_idx on events (attendance_mode, starts_at, id)`,
  `create index events_country_idx on events (left(region_code, 2), starts_at, id)`,
  `create index events_nuts1_idx on events (left(region_code, 3), starts_at, id)`,
  `create index events_nuts2_idx on events (left(region_code, 4), starts_at, id)`,

  // One row per event that has (had) registrations; an event without a row has none. Columns count the
  // registrations of each status exactly (n_attended is ATTENDED only, without COMPLETED).
  `create table event_registration_counts (
      event_id text primary key references events (id) on delete cascade,
      n_registered integer not null default 0 check (n_registered >= 0),
      n_waitlisted integer not null default 0 check (n_waitlisted >= 0),
      n_attended integer not null default 0 check (n_attended >= 0),
      n_completed integer not null default 0 check (n_completed >= 0),
      n_cancelled integer not null default 0 check (n_cancelled >= 0)
    )`,

  // Adds a statement's rows to the counts ('add': inserted rows, or rows as they are after an update) or takes
  // them away ('remove': deleted rows, or rows as they were before an update). Adding upserts; taking away
  // updates (the rows were counted, so their counts rows exist), as an upsert would check its negative changes
  // against the constraints before finding the row to update. Either way counts rows are locked in event id
  // order, so that concurrent statements touching several events do not deadlock on them.
  // Rows of events that no longer exist are skipped: deleting an event deletes its registrations (and its
  // counts) by cascade, and the counts must not come back.
  // A new registration status needs a new column here, in a new migration.
  `create function event_registration_counts_apply() returns trigger language plpgsql as $$
    begin
      if tg_argv[0] = 'add' then
        insert into event_registration_counts as c (event_id, n_registered, n_waitlisted, n_attended, n_completed, n_cancelled)
          select event_id,
            count(*) filter (where status = 'REGISTERED'),
            count(*) filter (where status = 'WAITLISTED'),
            count(*) filter (where status = 'ATTENDED'),
            count(*) filter (where status = 'COMPLETED'),
            count(*) filter (where status = 'CANCELLED')
          from changed_rows
          where event_id in (select id from events)
          group by event_id
          order by event_id
        on conflict (event_id) do update set
          n_registered = c.n_registered + excluded.n_registered,
          n_waitlisted = c.n_waitlisted + excluded.n_waitlisted,
          n_attended = c.n_attended + excluded.n_attended,
          n_completed = c.n_completed + excluded.n_completed,
          n_cancelled = c.n_cancelled + excluded.n_cancelled;
      else
        perform 1 from event_registration_counts
          where event_id in (select event_id from changed_rows)
          order by event_id
          for update;
        update event_registration_counts as c set
          n_registered = c.n_registered - d.n_registered,
          n_waitlisted = c.n_waitlisted - d.n_waitlisted,
          n_attended = c.n_attended - d.n_attended,
          n_completed = c.n_completed - d.n_completed,
          n_cancelled = c.n_cancelled - d.n_cancelled
        from (
          select event_id,
            count(*) filter (where status = 'REGISTERED') as n_registered,
            count(*) filter (where status = 'WAITLISTED') as n_waitlisted,
            count(*) filter (where status = 'ATTENDED') as n_attended,
            count(*) filter (where status = 'COMPLETED') as n_completed,
            count(*) filter (where status = 'CANCELLED') as n_cancelled
          from changed_rows
          group by event_id
        ) as d
        where c.event_id = d.event_id;
      end if;
      return null;
    end
  $$`,
  // A transition table belongs to one event of one trigger, hence two triggers for an update.
  `create trigger registrations_count_insert after insert on registrations
    referencing new table as changed_rows for each statement execute function event_registration_counts_apply('add')`,
  `create trigger registrations_count_update_old after update on registrations
    referencing old table as changed_rows for each statement execute function event_registration_counts_apply('remove')`,
  `create trigger registrations_count_update_new after update on registrations
    referencing new table as changed_rows for each statement execute function event_registration_counts_apply('add')`,
  `create trigger registrations_count_delete after delete on registrations
    referencing old table as changed_rows for each statement execute function event_registration_counts_apply('remove')`,

  // TRUNCATE fires no row changes: start the counts from zero.
  `create function event_registration_counts_clear() returns trigger language plpgsql as $$
    begin
      delete from event_registration_counts;
      return null;
    end
  $$`,
  `create trigger registrations_count_truncate after truncate on registrations
    for each statement execute function event_registration_counts_clear()`,

  // Recounts everything from the registrations. For bulk loaders that load with triggers disabled
  // (session_replication_role = replica): call "select event_registration_counts_rebuild()" afterwards.
  `create function event_registration_counts_rebuild() returns void language sql as $$
    delete from event_registration_counts;
    insert into event_registration_counts (event_id, n_registered, n_waitlisted, n_attended, n_completed, n_cancelled)
      select event_id,
        count(*) filter (where status = 'REGISTERED'),
        count(*) filter (where status = 'WAITLISTED'),
        count(*) filter (where status = 'ATTENDED'),
        count(*) filter (where status = 'COMPLETED'),
        count(*) filter (where status = 'CANCELLED')
      from registrations
      group by event_id;
  $$`,
  // Counts of the registrations already there.
  `select event_registration_counts_rebuild()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['insert', 'update_old', 'update_new', 'delete', 'truncate']) {
    await sql.raw(`drop trigger registrations_count_${trigger} on registrations`).execute(db);
  }
  await sql`drop function event_registration_counts_apply(), event_registration_counts_clear(), event_registration_counts_rebuild()`.execute(db);
  await sql`drop table event_registration_counts`.execute(db);
  await sql`drop index events_attendance_idx, events_country_idx, events_nuts1_idx, events_nuts2_idx`.execute(db);
}
