import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, sourceNodeArgs } from '@talent-hub/platform/paths';
import { subgraphRegistry } from '@talent-hub/platform/registry';
import { composeSubgraphs } from '../scripts/compose.js';
import { allowFilePath } from '../scripts/schema-check/allow-file.js';
import { apiFile, runSchemaCheck, subgraphFile, type CheckReport } from '../scripts/schema-check/check.js';
import type { Finding } from '../scripts/schema-check/findings.js';
import { loadCheckInput } from '../scripts/schema-check/load.js';
import { formatReport } from '../scripts/schema-check/report.js';

const names = subgraphRegistry().map((entry) => entry.name);
const committed: Record<string, string> = Object.fromEntries(names.map((name) => [name, readFileSync(path.join(projectRoot, subgraphFile(name)), 'utf8')]));
const talents = committed['talents']!;

/** The text with `old` replaced; throws unless `old` occurs exactly once, so that a schema edit cannot miss. */
function replaceOnce(text: string, old: string, replacement: string): string {
  const at = text.indexOf(old);
  if (at < 0 || text.indexOf(old, at + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(old)}`);
  return text.slice(0, at) + replacement + text.slice(at + old.length);
}

/** 1-based line of the first line holding `snippet`. */
function lineOf(text: string, snippet: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(snippet));
  if (index < 0) throw new Error(`no line holds ${JSON.stringify(snippet)}`);
  return index + 1;
}

const composedApi = (texts: Record<string, string>) =>
  composeSubgraphs(names.map((name) => ({ name, url: `http://127.0.0.1/${name}`, typeDefs: parse(texts[name]!) }))).apiSchemaSdl;

interface Scenario {
  base?: Record<string, string>;
  current?: Record<string, string>;
  allow?: unknown[];
}

/** Runs the check in process: the committed subgraph SDLs with the scenario's versions, the base API composed from the base. */
async function check(scenario: Scenario): Promise<CheckReport> {
  const base = { ...committed, ...scenario.base };
  const current = { ...committed, ...scenario.current };
  return runSchemaCheck({
    root: projectRoot,
    baseLabel: 'main',
    subgraphs: names.map((name) => ({ name, base: base[name], current: current[name]! })),
    baseApi: composedApi(base),
    allowFile: JSON.stringify({ $comment: 'test', changes: scenario.allow ?? [] }),
  });
}

const errors = (report: CheckReport) => report.findings.filter((f) => f.level === 'error');
const about = (report: CheckReport, schema: string, code: string, coordinate?: string): Finding[] =>
  report.findings.filter((f) => f.schema === schema && f.code === code && (coordinate === undefined || f.coordinate === coordinate));

// A breaking change that is no removal: an output field's type changes.
const educationLine = '"Highest completed education, ISCED 2011 level 0 to 8."\n  educationLevel: Int\n';
const educationAsText = { talents: replaceOnce(talents, educationLine, educationLine.replace(': Int', ': String')) };
const educationEntries = (reason: string) => [
  { schema: 'talents', type: 'FIELD_TYPE_CHANGED', path: 'Talent.educationLevel', reason },
  { schema: 'api', type: 'FIELD_TYPE_CHANGED', path: 'Talent.educationLevel', reason },
];

const interestsLine = '  "Fields of work the talent is interested in."\n  interests: [String!]! @listSize(assumedSize: 200)\n';
const withoutInterests = replaceOnce(talents, interestsLine, '');
const interestsDeprecated = replaceOnce(talents, interestsLine, interestsLine.replace('[String!]! ', '[String!]! @deprecated(reason: "Use skills.") '));
const interestsEntries = [
  { schema: 'talents', type: 'FIELD_REMOVED', path: 'Talent.interests', reason: 'Interests were replaced by skills.' },
  { schema: 'api', type: 'FIELD_REMOVED', path: 'Talent.interests', reason: 'Interests were replaced by skills.' },
];

describe('schema check', () => {
  it('passes on the current tree against main', async () => {
    const report = await runSchemaCheck(loadCheckInput(projectRoot, 'main'));
    expect(errors(report).map((f) => `${f.schema} ${f.coordinate} ${f.message}`)).toEqual([]);
    expect(report.failed).toBe(false);
    expect(formatReport(report)).toMatch(/\nschema:check passed: 0 errors, /);
  });

  it('shows composition hints as warnings, at the subgraph lines they are about', async () => {
    const regions = replaceOnce(committed['regions']!, '"Paging state of a connection."\ntype PageInfo', '"Where a page of a list stands."\ntype PageInfo');
    const report = await check({ current: { regions } });
    expect(report.failed).toBe(false);
    const [hint] = report.findings.filter((f) => f.kind === 'hint' && f.code === 'INCONSISTENT_DESCRIPTION' && f.coordinate === 'PageInfo');
    expect(hint?.level).toBe('warning');
    expect(hint?.locations).toContainEqual({ file: 'subgraphs/regions/schema.graphql', line: lineOf(regions, 'type PageInfo') });
    expect(formatReport(report)).toContain('WARNING [api] PageInfo: composition hint INCONSISTENT_DESCRIPTION\n');
  });

  it('fails on an undeclared breaking change, naming subgraph, type, field and file:line', async () => {
    const report = await check({ current: educationAsText });
    expect(report.failed).toBe(true);
    const line = lineOf(educationAsText.talents, 'educationLevel: String');
    const [subgraph] = about(report, 'talents', 'FIELD_TYPE_CHANGED', 'Talent.educationLevel');
    expect(subgraph).toMatchObject({ level: 'error', typeName: 'Talent', fieldName: 'educationLevel', locations: [{ file: 'subgraphs/talents/schema.graphql', line }] });
    // The API schema's change points at the subgraph file that defines the field.
    const [api] = about(report, 'api', 'FIELD_TYPE_CHANGED', 'Talent.educationLevel');
    expect(api).toMatchObject({ level: 'error', locations: [{ file: 'subgraphs/talents/schema.graphql', line }] });
    const text = formatReport(report);
    expect(text).toContain(`ERROR [talents] Talent.educationLevel: FIELD_TYPE_CHANGED (breaking change)\n    Field 'Talent.educationLevel' changed type from 'Int' to 'String'\n    at subgraphs/talents/schema.graphql:${line}\n`);
    expect(text).toContain(`declare it in ${allowFilePath}: {"schema":"api","type":"FIELD_TYPE_CHANGED","path":"Talent.educationLevel"`);
    expect(text).toMatch(/\nschema:check failed: 2 errors, /);
  });

  it('accepts a breaking change declared with a reason, as a warning that quotes it', async () => {
    const report = await check({ current: educationAsText, allow: educationEntries('Education levels become ISCED codes such as "ED6".') });
    expect(errors(report)).toEqual([]);
    const [allowed] = about(report, 'talents', 'FIELD_TYPE_CHANGED', 'Talent.educationLevel');
    expect(allowed?.level).toBe('warning');
    expect(allowed?.notes[0]).toMatch(/^Allowed by schema\/allowed-breaking-changes\.json:\d+: Education levels become ISCED codes/);
  });

  it('does not accept a declaration with an empty reason', async () => {
    const report = await check({ current: educationAsText, allow: educationEntries('  ') });
    expect(report.failed).toBe(true);
    expect(about(report, 'talents', 'FIELD_TYPE_CHANGED')[0]?.level).toBe('error');
    const invalid = report.findings.filter((f) => f.code === 'ALLOW_FILE_INVALID');
    expect(invalid.map((f) => f.message)).toEqual([expect.stringContaining('Entry 1 of schema/allowed-breaking-changes.json has no reason'), expect.stringContaining('Entry 2')]);
  });

  it('refuses the removal of a field that was not deprecated, even when declared, pointing at its line at the base', async () => {
    const report = await check({ current: { talents: withoutInterests }, allow: interestsEntries });
    expect(report.failed).toBe(true);
    const [removed] = about(report, 'api', 'FIELD_REMOVED', 'Talent.interests');
    expect(removed).toMatchObject({
      level: 'error',
      typeName: 'Talent',
      fieldName: 'interests',
      locations: [{ file: 'subgraphs/talents/schema.graphql', line: lineOf(talents, '  interests: [String!]! @listSize'), atBase: 'main' }],
    });
    expect(removed?.notes.join('\n')).toMatch(/Talent\.interests was not @deprecated at main: deprecate it first.*\n.*does not lift this rule/);
    expect(formatReport(report)).toContain(`at subgraphs/talents/schema.graphql:${lineOf(talents, '  interests: [String!]!')} (line in main; removed since)`);
  });

  it('accepts the removal of a deprecated field when declared, and refuses it when not', async () => {
    const declared = await check({ base: { talents: interestsDeprecated }, current: { talents: withoutInterests }, allow: interestsEntries });
    expect(errors(declared)).toEqual([]);
    expect(about(declared, 'api', 'FIELD_REMOVED', 'Talent.interests')[0]?.level).toBe('warning');

    const undeclared = await check({ base: { talents: interestsDeprecated }, current: { talents: withoutInterests } });
    expect(errors(undeclared).map((f) => `${f.schema} ${f.code} ${f.coordinate}`)).toEqual(['talents FIELD_REMOVED Talent.interests', 'api FIELD_REMOVED Talent.interests']);
  });

  it('asks no deprecation for removing a field clients never saw (@inaccessible), only its declaration', async () => {
    const trainings = committed['trainings']!;
    const start = trainings.indexOf('  """\n  Erases what this subgraph holds');
    const last = '@inaccessible @requiresScopes(scopes: [["service"]])\n';
    const withoutErasure = { trainings: trainings.slice(0, start) + trainings.slice(trainings.indexOf(last, start) + last.length) };
    const undeclared = await check({ current: withoutErasure });
    expect(errors(undeclared).map((f) => `${f.schema} ${f.code} ${f.coordinate}: ${f.notes.join(' ')}`)).toEqual([
      expect.stringMatching(/^trainings FIELD_REMOVED Mutation\.eraseTalentData: .*If it is intended, declare it/),
    ]);
    expect(errors(undeclared)[0]?.notes.join(' ')).not.toContain('was not @deprecated');
    const declared = await check({
      current: withoutErasure,
      allow: [{ schema: 'trainings', type: 'FIELD_REMOVED', path: 'Mutation.eraseTalentData', reason: 'Erasure requests move to an event stream.' }],
    });
    expect(errors(declared)).toEqual([]);
  });

  it('warns about a dangerous change and passes', async () => {
    const onBreak = replaceOnce(talents, '  INACTIVE\n}', '  INACTIVE\n  "Taking a break from the pool, expected back."\n  ON_BREAK\n}');
    const report = await check({ current: { talents: onBreak } });
    expect(report.failed).toBe(false);
    const [added] = about(report, 'api', 'ENUM_VALUE_ADDED', 'TalentStatus.ON_BREAK');
    expect(added).toMatchObject({ level: 'warning', criticality: 'dangerous', locations: [{ file: 'subgraphs/talents/schema.graphql', line: lineOf(onBreak, 'ON_BREAK') }] });
    expect(formatReport(report)).toContain('WARNING [api] TalentStatus.ON_BREAK: ENUM_VALUE_ADDED (dangerous change)');
  });

  it('fails the lint on a missing description, a badly cased name and an unused type, and lists safe additions', async () => {
    const linted = replaceOnce(
      talents,
      '  publicProfile: Boolean!\n',
      '  publicProfile: Boolean!\n  nickname: String\n  "The talent\'s badge."\n  Badge_Name: String\n',
    ) + '\n"A type that no field uses."\ntype Orphan {\n  "Its id."\n  id: ID!\n}\n';
    const report = await check({ current: { talents: linted } });
    expect(report.failed).toBe(true);
    expect(about(report, 'talents', 'description')).toEqual([
      expect.objectContaining({ level: 'error', typeName: 'Talent', fieldName: 'nickname', locations: [{ file: 'subgraphs/talents/schema.graphql', line: lineOf(linted, 'nickname: String') }] }),
    ]);
    expect(about(report, 'talents', 'naming')).toEqual([
      expect.objectContaining({ typeName: 'Talent', fieldName: 'Badge_Name', message: 'Field Talent.Badge_Name: "Badge_Name" is not camelCase (e.g. residenceRegion)' }),
    ]);
    // Unused types are a rule of the API schema, told where the type is written; the subgraph lint does not repeat.
    expect(about(report, 'api', 'unused-type')).toEqual([
      expect.objectContaining({ typeName: 'Orphan', locations: [{ file: 'subgraphs/talents/schema.graphql', line: lineOf(linted, 'type Orphan') }] }),
    ]);
    expect(about(report, 'api', 'description')).toEqual([]);
    expect(formatReport(report)).toMatch(/Safe changes \(\d+\):\n(.*\n)*  \[talents\] FIELD_ADDED Talent\.nickname  subgraphs\/talents\/schema\.graphql:\d+\n/);
  });

  it('reports no Federation machinery when the @link imports and the entities change', async () => {
    // The base without the @inaccessible import (federation__inaccessible then) and with one entity fewer.
    // At the base, every subgraph writes the qualified name (composition wants one name across subgraphs), and
    // talents' CacheControlScope is not @inaccessible yet.
    const unimported = (text: string) => replaceOnce(text, ', "@inaccessible"', '').replaceAll(' @inaccessible', ' @federation__inaccessible');
    const base = Object.fromEntries(names.map((name) => [name, unimported(committed[name]!)]));
    base.talents = replaceOnce(base.talents!, 'enum CacheControlScope @federation__inaccessible {', 'enum CacheControlScope {');
    const current = replaceOnce(talents, 'type TalentErasure {', 'type TalentErasure @key(fields: "talentId") {');
    const report = await check({ base, current: { talents: current } });
    const talentsChanges = report.findings.filter((f) => f.schema === 'talents' && f.kind === 'change');
    expect(talentsChanges.map((f) => `${f.level} ${f.code} ${f.coordinate}`).sort()).toEqual([
      'warning DIRECTIVE_USAGE_ENUM_ADDED CacheControlScope',
      'warning DIRECTIVE_USAGE_OBJECT_ADDED TalentErasure',
    ]);
  });

  it('rates the removal of a type that no operation can reach as safe (CacheControlScope leaving the API schema)', async () => {
    // The base as it was before CacheControlScope became @inaccessible: then it was in the API schema.
    const accessible = Object.fromEntries(names.map((name) => [name, replaceOnce(committed[name]!, 'enum CacheControlScope @inaccessible {', 'enum CacheControlScope {')]));
    const report = await check({ base: accessible });
    expect(errors(report)).toEqual([]);
    expect(about(report, 'api', 'TYPE_REMOVED', 'CacheControlScope')).toEqual([
      expect.objectContaining({ level: 'safe', notes: [], locations: [{ file: 'subgraphs/talents/schema.graphql', line: lineOf(talents, 'enum CacheControlScope') }, expect.anything(), expect.anything()] }),
    ]);
  });

  it('treats a subgraph absent at the base as new', async () => {
    const report = await runSchemaCheck({
      root: projectRoot,
      baseLabel: 'main',
      subgraphs: names.map((name) => ({ name, current: committed[name]!, base: name === 'regions' ? undefined : committed[name] })),
      baseApi: readFileSync(path.join(projectRoot, apiFile), 'utf8'),
      allowFile: '{"changes": []}',
    });
    expect(report.failed).toBe(false);
    expect(about(report, 'regions', 'SUBGRAPH_ADDED')[0]?.level).toBe('safe');
  });
});

describe('schema:check command', () => {
  let repo: string;
  const git = (...args: string[]) => promisify(execFile)('git', ['-C', repo, '-c', 'user.name=Schema Check', '-c', 'user.email=schema-check@example.org', ...args]);
  const run = async (...args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [...sourceNodeArgs, path.join(projectRoot, 'scripts/schema-check/main.ts'), '--root', repo, ...args], { cwd: projectRoot, env: { ...process.env, NO_COLOR: '1' } });
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  beforeAll(async () => {
    // A repository holding only what the check reads: the registry, the subgraph SDLs, the API schema, the allow-file.
    repo = mkdtempSync(path.join(tmpdir(), 'schema-check-'));
    for (const file of ['subgraphs/registry.json', apiFile, allowFilePath, ...names.map(subgraphFile)]) {
      mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      copyFileSync(path.join(projectRoot, file), path.join(repo, file));
    }
    await git('init', '--quiet', '--initial-branch=main');
    await git('add', '.');
    await git('commit', '--quiet', '-m', 'base');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('reads the base from git: fails on a breaking change of the working tree, passes once declared or against another base', async () => {
    expect((await run()).code).toBe(0);

    writeFileSync(path.join(repo, subgraphFile('talents')), educationAsText.talents);
    const failed = await run();
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`ERROR [talents] Talent.educationLevel: FIELD_TYPE_CHANGED (breaking change)`);
    expect(failed.stdout).toContain(`at subgraphs/talents/schema.graphql:${lineOf(educationAsText.talents, 'educationLevel: String')}`);
    expect(failed.stdout).toMatch(/^Schema check of talents, trainings, regions and the API schema against main@[0-9a-f]{7}$/m);

    writeFileSync(path.join(repo, allowFilePath), JSON.stringify({ changes: educationEntries('Education levels become ISCED codes.') }, null, 2));
    const declared = await run();
    expect(declared.code).toBe(0);
    expect(declared.stdout).toContain('Allowed by schema/allowed-breaking-changes.json:3: Education levels become ISCED codes.');

    // Committed on main, the change is part of the base; against the commit before, it is a change again.
    await git('commit', '--quiet', '-am', 'education level as text');
    const onMain = await run();
    expect(onMain.code).toBe(0);
    expect(onMain.stdout).toContain('INFO [talents] Talent.educationLevel: ALLOW_ENTRY_UNUSED');
    const againstParent = await run('--base', 'HEAD~1');
    expect(againstParent.code).toBe(0);
    expect(againstParent.stdout).toMatch(/against HEAD~1@[0-9a-f]{7}/);
    expect(againstParent.stdout).toContain('WARNING [talents] Talent.educationLevel: FIELD_TYPE_CHANGED (breaking change)');
  });

  it('cannot run against a ref that does not exist', async () => {
    const result = await run('--base', 'no-such-branch');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The base "no-such-branch" is not a commit of the git repository');
  });
});
