import { badUserInput } from '@talent-hub/platform/errors';
import { parseCountryCode, parseNutsCode, parseSlug } from '@talent-hub/subgraph-lib/validate';
import type { OrganisationFilter, ProgrammeFilter, RegionFilter } from './db/repository.js';
import type { QueryOrganisationsArgs, QueryProgrammesArgs, QueryRegionsArgs } from './generated/resolvers.js';

// Checks of the arguments of this subgraph's lists: a malformed value is a BAD_USER_INPUT error naming the
// argument; a well-formed one that matches nothing simply finds nothing.

export function readRegionFilter(args: QueryRegionsArgs): RegionFilter {
  if (args.level != null && (!Number.isInteger(args.level) || args.level < 0 || args.level > 3)) {
    throw badUserInput(`Argument "level" must be a NUTS level from 0 to 3; got ${args.level}.`, 'level');
  }
  return {
    level: args.level,
    countryCode: args.countryCode == null ? null : parseCountryCode(args.countryCode),
    parentCode: args.parentCode == null ? null : parseNutsCode(args.parentCode, 'parentCode'),
  };
}

/** The organisation kind is an enum, checked by GraphQL already; `memberOf` must be a slug. */
export const readOrganisationFilter = (args: QueryOrganisationsArgs): OrganisationFilter => ({
  kind: args.kind,
  memberOf: args.memberOf == null ? null : parseSlug(args.memberOf, 'memberOf'),
});

export function readProgrammeFilter(args: QueryProgrammesArgs): ProgrammeFilter {
  return {
    regionCode: args.regionCode == null ? null : parseNutsCode(args.regionCode, 'regionCode'),
    managingOrganisationId: args.managingOrganisationId == null ? null : parseSlug(args.managingOrganisationId, 'managingOrganisationId'),
    activeOn: args.activeOn ?? null,
  };
}
