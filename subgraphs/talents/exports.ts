import { sql, type Expression, type SqlBool } from 'kysely';
import { badUserInput } from '@talent-hub/platform/errors';
import type { ExportColumn } from '@talent-hub/subgraph-lib/export';
import { dateParameter, enumParameter, integerParameter, type ExportDefinitions } from '@talent-hub/subgraph-lib/export-route';
import { parseUuid } from '@talent-hub/subgraph-lib/validate';
import { readTalentFilter, type TalentFilterInput } from './arguments.js';
import type { Context } from './context.js';
import { CEFR_LEVELS, filteredTalents, visibleTo } from './db/repository.js';
import { TALENT_DIMENSIONS } from './db/statistics.js';
import type { QueryTalentStatisticsArgs, TalentCategory } from './generated/resolvers.js';
import { viewerOf } from './loaders.js';
import { statisticsQueries } from './statistics.js';

// The talents subgraph's exports (GET /export/talents|statistics.csv|.ndjson, through the gateway):
// - talents: the rows `Query.talents` lists for the caller (published profiles, and the private ones of the
//   caller's organisation or consented to it), with the same filters, in id order. Personal columns (names,
//   e-mail, birth year, phone) are there only for a caller signed in for an organisation, and filled only on the
//   rows the `talent_personal_data` policy lets it read (policies.ts), empty on the others;
// - statistics: `Query.talentStatistics` itself (its resolver is called), so its cells are protected the same way:
//   a suppressed cell has an empty count and `suppressed` true, never a number.

const filterParameters = ['category', 'organisationId', 'regionCode', 'skillUri', 'language', 'minLanguageLevel', 'citizenship', 'joinedFrom', 'joinedTo'];
// As a record, so that the type checker says when the schema gains a category.
const CATEGORIES = Object.keys({ YOUNG_PROFESSIONAL: 1, INTERNATIONAL_TALENT: 1, RETURNEE: 1, RESEARCHER: 1, STUDENT: 1 } satisfies Record<TalentCategory, 1>) as TalentCategory[];

/** The `TalentFilter` input of an export's parameters (enums and dates checked as GraphQL checks their types). */
function talentFilterInputOf(parameters: ReadonlyMap<string, string>): TalentFilterInput {
  const text = (name: string) => parameters.get(name) ?? null;
  return {
    category: enumParameter(parameters, 'category', CATEGORIES),
    organisationId: text('organisationId'),
    regionCode: text('regionCode'),
    skillUri: text('skillUri'),
    language: text('language'),
    minLanguageLevel: enumParameter(parameters, 'minLanguageLevel', CEFR_LEVELS),
    citizenship: text('citizenship'),
    joinedFrom: dateParameter(parameters, 'joinedFrom'),
    joinedTo: dateParameter(parameters, 'joinedTo'),
  };
}

/**
 * The condition of the `talent_personal_data` policy (policies.ts) on `talents`, for a caller's organisation. The
 * consents are an uncorrelated IN, which PostgreSQL reads once into a hash (a hashed SubPlan): each row then costs a
 * hash probe, where a correlated EXISTS would cost an index lookup per row and per personal column.
 */
function personalDataReadable(organisationId: string): Expression<SqlBool> {
  return sql<SqlBool>`(talents.organisation_id = ${organisationId}
    or talents.id in (select pc.talent_id from talent_consents pc where pc.organisation_id = ${organisationId}))`;
}

const column = (name: string, value: Expression<unknown>, csv?: Expression<unknown>): ExportColumn => ({ name, value, ...(csv ? { csv } : {}) });

const publicColumns: ExportColumn[] = [
  column('id', sql`talents.id`),
  column('displayName', sql`talents.display_name`),
  column('category', sql`talents.category`),
  column('citizenship', sql`talents.citizenship`),
  column('residenceRegionCode', sql`talents.residence_region_code`),
  column('originRegionCode', sql`talents.origin_region_code`),
  column('organisationId', sql`talents.organisation_id`),
  column('educationLevel', sql`talents.education_level`),
  column('careerStage', sql`talents.career_stage`),
  column('interests', sql`talents.interests`, sql`array_to_string(talents.interests, ';')`),
  column('status', sql`talents.status`),
  column('joinedOn', sql`talents.joined_on`),
  column('mentoringCapacity', sql`talents.mentoring_capacity`),
  column('publicProfile', sql`talents.public_profile`),
  column('synthetic', sql`talents.synthetic`),
];

const personalColumns = [
  ['givenName', 'given_name'],
  ['familyName', 'family_name'],
  ['email', 'email'],
  ['birthYear', 'birth_year'],
  ['phone', 'phone'],
] as const;

/** The statistics columns of each dimension, in groupBy order, then the count and whether it is suppressed. */
const dimensionColumns: Record<(typeof TALENT_DIMENSIONS)[number], { name: string; of(cell: Cell): unknown }> = {
  REGION: { name: 'regionCode', of: (cell) => cell.region?.code ?? null },
  CATEGORY: { name: 'category', of: (cell) => cell.category ?? null },
  CITIZENSHIP: { name: 'citizenship', of: (cell) => cell.citizenship ?? null },
  SKILL: { name: 'skillUri', of: (cell) => cell.skill?.uri ?? null },
  CAREER_STAGE: { name: 'careerStage', of: (cell) => cell.careerStage ?? null },
};

/** A cell as the talentStatistics resolver returns it (references to other subgraphs' entities by key). */
interface Cell {
  region?: { code: string } | null;
  category?: string | null;
  citizenship?: string | null;
  skill?: { uri: string } | null;
  careerStage?: string | null;
  talents?: number | null;
  suppressed: boolean;
}

type StatisticsResolver = (parent: unknown, args: QueryTalentStatisticsArgs, ctx: Context, info: unknown) => Promise<{ groupBy: string[]; cells: Cell[] }>;

export const exports: ExportDefinitions<Context> = {
  talents: {
    parameters: filterParameters,
    open(ctx, parameters, after) {
      const filter = readTalentFilter(talentFilterInputOf(parameters));
      if (after !== null) parseUuid(after, 'after');
      const organisationId = ctx.identity?.organisationId || null;
      const readable = organisationId ? personalDataReadable(organisationId) : null;
      const columns = readable
        ? [...publicColumns, ...personalColumns.map(([name, field]) => column(name, sql`case when ${readable} then ${sql.ref(`talents.${field}`)} end`))]
        : publicColumns;
      return {
        kind: 'keyset',
        columns,
        key: sql<string>`talents.id`,
        rows: (from) =>
          filteredTalents(ctx.db, filter)
            .where(visibleTo(viewerOf(ctx.identity)))
            .$if(from !== null, (q) => q.where('talents.id', '>', from!)),
      };
    },
  },

  statistics: {
    parameters: ['groupBy', 'regionLevel', ...filterParameters],
    async open(ctx, parameters) {
      const groupBy = (parameters.get('groupBy') ?? '').split(',').filter((d) => d !== '');
      if (groupBy.length === 0) throw badUserInput(`Argument "groupBy" must name at least one dimension (comma-separated: ${TALENT_DIMENSIONS.join(', ')}).`, 'groupBy');
      const args: QueryTalentStatisticsArgs = {
        groupBy: groupBy as QueryTalentStatisticsArgs['groupBy'],
        regionLevel: integerParameter(parameters, 'regionLevel'),
        filter: talentFilterInputOf(parameters),
      };
      // The resolver checks groupBy, regionLevel and the filter, and protects every count.
      const answer = await (statisticsQueries.talentStatistics as unknown as StatisticsResolver)(null, args, ctx, null);
      const dimensions = answer.groupBy.map((d) => dimensionColumns[d as keyof typeof dimensionColumns]);
      return {
        kind: 'rows',
        columns: [...dimensions.map((d) => d.name), 'talents', 'suppressed'],
        rows: async () =>
          answer.cells.map((cell) => ({
            ...Object.fromEntries(dimensions.map((d) => [d.name, d.of(cell)])),
            talents: cell.suppressed ? null : cell.talents,
            suppressed: cell.suppressed,
          })),
      };
    },
  },
};
