import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../lib/db.js';
import { prepareDatabase } from '../../lib/subgraph.js';
import { createLoaders } from '../loaders.js';
import { talentsSubgraph } from '../server.js';
import * as repo from './repository.js';
import type { TalentsDatabase } from './types.js';

let database: Database<TalentsDatabase>;
beforeAll(async () => {
  database = await prepareDatabase(talentsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
});
afterAll(() => database.close());

describe('listTalentsOf', () => {
  it('pages each parent with a keyset: size + 1 rows, in id order, strictly after the cursor', async () => {
    const before = database.stats.statements;
    const rows = await repo.listTalentsOf(database.db, 'region', ['ITH5', 'IE041', 'ZZ'], { size: 3, after: null });
    expect(database.stats.statements - before).toBe(1);
    const er = rows.filter((r) => r.parent_key === 'ITH5');
    expect(er).toHaveLength(4);
    expect(er.map((r) => r.id)).toEqual([...er.map((r) => r.id)].sort());
    expect(er.every((r) => r.residence_region_code!.startsWith('ITH5'))).toBe(true);
    expect(rows.some((r) => r.parent_key === 'ZZ')).toBe(false);

    const next = await repo.listTalentsOf(database.db, 'region', ['ITH5'], { size: 3, after: [er[2]!.id] });
    expect(next[0]!.id).toBe(er[3]!.id);
  });

  it('finds talents by organisation and by skill', async () => {
    const byOrg = await repo.listTalentsOf(database.db, 'organisation', ['eurocities'], { size: 500, after: null });
    expect(byOrg).toHaveLength(100);
    const uri = 'http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8';
    const bySkill = await repo.listTalentsOf(database.db, 'skill', [uri], { size: 500, after: null });
    const holders = await database.db.selectFrom('talent_skills').select('talent_id').where('skill_uri', '=', uri).execute();
    expect(bySkill.map((t) => t.id).sort()).toEqual(holders.map((h) => h.talent_id).sort());
  });
});

describe('loaders', () => {
  it('load many talents and their skills with one statement per batch, in key order', async () => {
    const loaders = createLoaders(database.db);
    const ids = (await database.db.selectFrom('talents').select('id').orderBy('id', 'desc').limit(30).execute()).map((r) => r.id);
    const before = database.stats.statements;
    const [talents, skills] = await Promise.all([
      Promise.all(ids.map((id) => loaders.talent.load(id))),
      Promise.all(ids.map((id) => loaders.talentSkills.load(id))),
    ]);
    expect(database.stats.statements - before).toBe(2);
    expect(talents.map((t) => t!.id)).toEqual(ids);
    skills.forEach((list, i) => expect(list.every((s) => s.talent_id === ids[i])).toBe(true));
  });
});
