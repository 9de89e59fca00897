import { databaseName, generatedNotice, type Registry } from './services.js';

// deploy/postgres/init.sql: the databases compose's PostgreSQL creates on its first start, one per subgraph.

const sqlComment = (text: string) =>
  text
    .split('\n')
    .map((line) => `-- ${line}`.trimEnd())
    .join('\n');

export function initSqlFile(registry: Registry): string {
  const about =
    'Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d), as POSTGRES_USER.\n' +
    "One database per subgraph: each team owns its schema and its migrations, and no subgraph reads another's tables.\n" +
    'Each subgraph creates its tables itself on start (migrations, under a lock); nothing else is needed here.';
  const statements = registry.map((entry) => `CREATE DATABASE ${databaseName(entry)};`);
  return `${sqlComment(generatedNotice)}\n\n${sqlComment(about)}\n${statements.join('\n')}\n`;
}
