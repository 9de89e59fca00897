import type { Kysely } from 'kysely';
import { connectionLoader, listLoader, rowLoader } from '@talent-hub/subgraph-lib/loaders';
import { NESTED_PAGE } from '@talent-hub/subgraph-lib/pagination';
import { listAffiliations } from './db/affiliations.js';
import { countParticipants } from './db/programmes.js';
import * as repo from './db/repository.js';
import type { Identity } from '@talent-hub/platform/identity';
import { createMentoringLoaders } from './mentoring-loaders.js';
import type { TalentRow, TalentsDatabase } from './db/types.js';

type TalentOf = TalentRow & { parent_key: string };

/** A paged list of talents per parent, ordered by id. */
function talentPages(db: Kysely<TalentsDatabase>, list: string, parent: repo.TalentParent, viewer: repo.Viewer) {
  return connectionLoader<TalentOf>({
    list,
    limits: NESTED_PAGE,
    keyLength: 1,
    keyOf: (t) => [t.id],
    fetch: (keys, page) => repo.listTalentsOf(db, parent, keys, page, viewer),
    parentOf: (t) => t.parent_key,
    count: (keys) => repo.countTalentsOf(db, parent, keys, viewer),
  });
}

/** This request's DataLoaders: one batched SQL statement per batch, nothing shared between requests. */
export function createLoaders(db: Kysely<TalentsDatabase>, identity: Identity | null = null) {
  const viewer = viewerOf(identity);
  return {
    talent: rowLoader((ids) => repo.findTalents(db, ids), (t) => t.id),
    skill: rowLoader((uris) => repo.findSkills(db, uris), (s) => s.uri),
    talentSkills: listLoader((ids) => repo.listTalentSkills(db, ids), (s) => s.talent_id),
    talentLanguages: listLoader((ids) => repo.listTalentLanguages(db, ids), (l) => l.talent_id),
    residencePeriods: listLoader((ids) => repo.listResidencePeriods(db, ids), (p) => p.talent_id),
    // Read by the personal-data policy for every personal field of every talent: one statement per page.
    talentConsents: listLoader((ids) => repo.listConsents(db, ids), (c) => c.talent_id),
    affiliations: listLoader((ids) => listAffiliations(db, ids), (a) => a.talent_id),
    programmeParticipants: rowLoader((ids) => countParticipants(db, ids), (p) => p.programme_id),
    talentsInRegion: talentPages(db, 'Region.talents', 'region', viewer),
    talentsOfOrganisation: talentPages(db, 'Organisation.talents', 'organisation', viewer),
    talentsWithSkill: talentPages(db, 'Skill.talents', 'skill', viewer),
    ...createMentoringLoaders(db),
  };
}

/** Who the request's lists are read for (a service has no organisation: it sees what anonymous callers see). */
export function viewerOf(identity: Identity | null): repo.Viewer {
  return { organisationId: identity?.organisationId || null };
}

export type TalentsLoaders = ReturnType<typeof createLoaders>;
