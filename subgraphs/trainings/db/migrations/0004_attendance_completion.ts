import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.
//
// 1. Attendance and completion days of registrations (`attended_on`, `completed_on`: calendar days in the event's
//    time zone), set by markAttended and markCompleted. Checks keep them consistent with the status: a day of
//    attendance only on an ATTENDED or COMPLETED registration, a day of completion only on a COMPLETED one that
//    has a day of attendance no later than it. Either may be null on an attended or completed registration
//    ("not recorded"): rows loaded by bulk loaders that do not know the columns yet (the data generator's COPY
//    names its columns) stay valid. Rows already attended or completed get the event's days: attended on its
//    first day, completed on its last day (in its time zone), the best the data tells.
// 2. A talent's completed trainings, latest completion first: a partial index on the registrations that have a
//    completion day, in that order, per talent (Talent.completedTrainings pages and counts on it).
// 3. Events by the skill they teach, in start order: `event_skills.starts_at`, a copy of the event's start kept
//    by triggers (set on every insert or update of an event_skills row; followed when the event's start
//    changes), and an index on (skill_uri, starts_at, event_id). Skill.events and training recommendations then
//    seek the upcoming events of a skill from "now" on (or the past ones backwards), reading only a page, however
//    many events teach the skill.
//
// Registration counts (migration 0002) need no change: attendance and completion change statuses through
// updates of registrations, which its statement-level triggers count.

// One statement per query: the embedded store (PGlite) prepares each query and cannot take several at once.
// (Listed one by one: the function bodies hold semicolons.)
const statements = [
  `alter table registrations add column attended_on date`,
  `alter table registrations add column completed_on date`,
  `update registrations as r set
      attended_on = (e.starts_at at time zone e.time_zone)::date,
      completed_on = case when r.status = 'COMPLETED'
        then ((e.ends_at - interval '1 millisecond') at time zone e.time_zone)::date end
    from events as e
    where e.id = r.event_id and r.status in ('ATTENDED', 'COMPLETED')`,
  `alter table registrations add constraint registrations_attended_on_check
      check (attended_on is null or status in ('ATTENDED', 'COMPLETED'))`,
  `alter table registrations add constraint registrations_completed_on_check
      check (completed_on is null or (status = 'COMPLETED' and attended_on is not null and completed_on >= attended_on))`,
  `create index registrations_completed_idx on registrations (talent_id, completed_on desc, id desc) where completed_on is not null`,

  `alter table event_skills add column starts_at timestamptz(3)`,
  `update event_skills as s set starts_at = e.starts_at from events as e where e.id = s.event_id`,
  `alter table event_skills alter column starts_at set not null`,
  // Whatever a writer gives (nothing, usually), the row takes its event's start.
  `create function event_skills_take_start() returns trigger language plpgsql as $$
    begin
      new.starts_at := (select starts_at from events where id = new.event_id);
      return new;
    end
  $$`,
  `create trigger event_skills_take_start before insert or update on event_skills
    for each row execute function event_skills_take_start()`,
  `create function events_pass_start_to_skills() returns trigger language plpgsql as $$
    begin
      update event_skills set starts_at = new.starts_at where event_id = new.id;
      return null;
    end
  $$`,
  `create trigger events_pass_start_to_skills after update of starts_at on events
    for each row when (old.starts_at is distinct from new.starts_at) execute function events_pass_start_to_skills()`,
  `create index event_skills_skill_idx on event_skills (skill_uri, starts_at, event_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index event_skills_skill_idx`.execute(db);
  await sql`drop trigger events_pass_start_to_skills on events`.execute(db);
  await sql`drop trigger event_skills_take_start on event_skills`.execute(db);
  await sql`drop function events_pass_start_to_skills(), event_skills_take_start()`.execute(db);
  await sql`alter table event_skills drop column starts_at`.execute(db);
  await sql`drop index registrations_completed_idx`.execute(db);
  await sql`alter table registrations drop constraint registrations_completed_on_check, drop constraint registrations_attended_on_check`.execute(db);
  await sql`alter table registrations drop column completed_on, drop column attended_on`.execute(db);
}
