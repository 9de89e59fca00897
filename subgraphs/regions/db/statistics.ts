import { sql, type Kysely } from 'kysely';
import { SHORT_LIST_MAX } from './repository.js';
import type { RegionsDatabase } from './types.js';

// The programmes' key performance indicators: `db` first, one SQL statement for a batch of programmes, exact
// arithmetic (numeric). Public figures about programmes, not about people: nothing here needs suppression.

type Db = Kysely<RegionsDatabase>;

/** The indicator whose value is the number of talents a programme reached. */
export const TALENTS_REACHED = 'talents-reached';

/** An indicator with its progress towards its target; decimals are exact strings. */
export interface IndicatorProgressRow {
  code: string;
  name: string;
  unit: string;
  value: string;
  target: string | null;
  /** value / target rounded to 4 places; null without a positive target. */
  progress: string | null;
  as_of: string | null;
}

export interface ProgrammeKpisRow {
  programme_id: string;
  currency: string | null;
  budget_amount: string | null;
  max_contribution_amount: string | null;
  talents_reached: string | null;
  talents_reached_as_of: string | null;
  /** budget / talents reached, rounded to cents; null when either is unknown or talents reached is not positive. */
  cost_per_talent_reached: string | null;
  indicators: IndicatorProgressRow[];
}

/**
 * Key performance indicators of programmes, in one statement: money, the talents-reached indicator and the
 * cost per talent it gives, and every indicator with its progress towards its target. All arithmetic is exact
 * (numeric); rounding is half away from zero, to cents for money and to 4 places for progress.
 */
export function programmeKpis(db: Db, programmeIds: readonly string[]): Promise<ProgrammeKpisRow[]> {
  return db
    .selectFrom('programmes as p')
    .leftJoin('indicators as t', (join) => join.onRef('t.programme_id', '=', 'p.id').on('t.code', '=', TALENTS_REACHED))
    .select([
      'p.id as programme_id',
      'p.currency',
      'p.budget_amount',
      'p.max_contribution_amount',
      't.value as talents_reached',
      't.as_of as talents_reached_as_of',
      sql<string | null>`case when t.value > 0 then round(p.budget_amount / t.value, 2) end`.as('cost_per_talent_reached'),
      // Numbers go into JSON as text, so that they stay exact decimals.
      sql<IndicatorProgressRow[]>`coalesce((
        select json_agg(json_build_object(
          'code', i.code, 'name', i.name, 'unit', i.unit, 'value', i.value::text, 'target', i.target::text,
          'progress', case when i.target > 0 then round(i.value / i.target, 4)::text end, 'as_of', i.as_of
        ) order by i.code)
        from (select * from indicators where indicators.programme_id = p.id order by code limit ${SHORT_LIST_MAX}) as i
      ), '[]'::json)`.as('indicators'),
    ])
    .where('p.id', 'in', [...programmeIds])
    .execute();
}
