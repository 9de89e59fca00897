import type { Kysely } from 'kysely';
import { connectionLoader, listLoader, rowLoader, type ConnectionSource } from '../lib/loaders.js';
import { NESTED_PAGE, type Page } from '../lib/pagination.js';
import * as repo from './db/repository.js';
import type { TalentTable, TalentsDatabase } from './db/types.js';

type TalentOf = TalentTable & { parent_key: string };

/** A paged list of talents per parent, ordered by id. */
function talentPages(list: string, fetch: (keys: readonly string[], page: Page) => Promise<TalentOf[]>) {
  const source: ConnectionSource<TalentOf> = {
    list,
    limits: NESTED_PAGE,
    keyLength: 1,
    keyOf: (t) => [t.id],
    fetch,
    parentOf: (t) => t.parent_key,
  };
  return connectionLoader(source);
}

/** This request's DataLoaders: one batched SQL statement per batch, nothing shared between requests. */
export function createLoaders(db: Kysely<TalentsDatabase>) {
  return {
    talent: rowLoader((ids) => repo.findTalents(db, ids), (t) => t.id),
    skill: rowLoader((uris) => repo.findSkills(db, uris), (s) => s.uri),
    talentSkills: listLoader((ids) => repo.listTalentSkills(db, ids), (s) => s.talent_id),
    talentLanguages: listLoader((ids) => repo.listTalentLanguages(db, ids), (l) => l.talent_id),
    residencePeriods: listLoader((ids) => repo.listResidencePeriods(db, ids), (p) => p.talent_id),
    talentsInRegion: talentPages('Region.talents', (codes, page) => repo.listTalentsInRegions(db, codes, page)),
    talentsOfOrganisation: talentPages('Organisation.talents', (ids, page) => repo.listTalentsOfOrganisations(db, ids, page)),
    talentsWithSkill: talentPages('Skill.talents', (uris, page) => repo.listTalentsWithSkills(db, uris, page)),
  };
}

export type TalentsLoaders = ReturnType<typeof createLoaders>;
