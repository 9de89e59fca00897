import { CompiledQuery, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, DummyDriver } from 'kysely';
import { describe, expect, it } from 'vitest';
import { statementKind } from './db.js';

describe('statement kinds', () => {
  const db = new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });

  it('come from the query tree, or from the first word of raw SQL', () => {
    expect(statementKind(db.selectFrom('t').selectAll().compile())).toBe('select');
    expect(statementKind(db.insertInto('t').values({ a: 1 }).compile())).toBe('insert');
    expect(statementKind(db.updateTable('t').set({ a: 1 }).compile())).toBe('update');
    expect(statementKind(db.deleteFrom('t').compile())).toBe('delete');
    expect(statementKind(CompiledQuery.raw('  (select 1)'))).toBe('select');
    expect(statementKind(CompiledQuery.raw('begin'))).toBe('other');
    expect(statementKind(CompiledQuery.raw('with x as (select 1) select * from x'))).toBe('other');
  });
});
