/**
 * The operations the gateway knows it will serve: the partner apps' and dashboards' main queries. The gateway
 * plans them when it starts (see `warmQueryPlans` in server.ts), so that their first requests do not pay for query
 * planning, and the benchmark (`bench/`) sends exactly these texts, so that what it measures is what is warmed.
 *
 * A text here must match the client's byte for byte: plans are cached by the hash of the operation text and its
 * operation name.
 */
export interface KnownOperation {
  /** The operation name, as written in `query`. */
  name: string;
  query: string;
  /** Variables for warming the plan; the plan does not depend on their values, only on the text. */
  variables: Record<string, unknown>;
}

/**
 * A page of talents with their registrations, the events, and the events' regions and organisers: all three
 * subgraphs, with two levels of entity fetches (the partner web app's talent list). A partner lists its own
 * organisation's talents (`organisationId`), whose registrations it may read; left out, the list holds every
 * profile the caller may see, and registrations it may not read come back null with FORBIDDEN.
 */
export const talentsWithRegistrations: KnownOperation = {
  name: 'TalentsWithRegistrations',
  query: `query TalentsWithRegistrations($first: Int, $after: String, $organisationId: ID) {
  talents(first: $first, after: $after, organisationId: $organisationId) {
    nodes {
      id displayName residenceRegion { code name } organisation { id name }
      registrations(first: 10) {
        nodes { status event { id title startsAt region { code name } organiser { id name } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
  variables: { first: 100 },
};

/**
 * A dashboard aggregate: talents by NUTS 2 region and category, small cells suppressed. One grouped statement at
 * the talents subgraph; regions are given by code (a reference, no fetch to the regions subgraph).
 */
export const talentDashboard: KnownOperation = {
  name: 'TalentDashboard',
  query: `query TalentDashboard($groupBy: [TalentDimension!]!, $regionLevel: Int) {
  talentStatistics(groupBy: $groupBy, regionLevel: $regionLevel) {
    threshold
    cells { region { code } category talents suppressed }
  }
}`,
  variables: { groupBy: ['REGION', 'CATEGORY'], regionLevel: 2 },
};

/** One talent's page: profile, skills and languages (talents), regions (regions), registrations (trainings). */
export const talentPage: KnownOperation = {
  name: 'TalentPage',
  query: `query TalentPage($id: ID!) {
  talent(id: $id) {
    id displayName category citizenship educationLevel careerStage interests status joinedOn synthetic
    residenceRegion { code name parent { code name } }
    originRegion { code name }
    organisation { id name acronym }
    skills { level skill { uri label } }
    languages { language level }
    residenceHistory { from to region { code name } }
    registrations(first: 20) {
      totalCount
      nodes { status registeredAt event { id title startsAt endsAt region { code name } organiser { id name } } }
    }
  }
}`,
  variables: { id: '00000000-0000-4000-8000-000000000000' },
};

/**
 * A bulk export: every talent, 500 a page (the largest root page), following `pageInfo.endCursor`. Only the
 * talents subgraph answers it (region and organisation are references by key).
 */
export const talentExport: KnownOperation = {
  name: 'TalentExport',
  query: `query TalentExport($after: String) {
  talents(first: 500, after: $after) {
    nodes { id displayName category citizenship status joinedOn residenceRegion { code } organisation { id } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  variables: {},
};

export const knownOperations: readonly KnownOperation[] = [talentsWithRegistrations, talentDashboard, talentPage, talentExport];
