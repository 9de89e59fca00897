// Command-line flags of `npm run data:generate`. Parsing is pure (argv in, options or an error out) so that the
// messages are tested without running anything.

export interface GenerateOptions {
  talents: number;
  events: number;
  registrations: number;
  seed: number;
  replace: boolean;
}

export const DEFAULTS: GenerateOptions = { talents: 100_000, events: 5_000, registrations: 1_000_000, seed: 42, replace: false };

/** Upper bounds that keep a run within what one machine generates in minutes and ids can number. */
const LIMITS = { talents: 10_000_000, events: 1_000_000, registrations: 100_000_000, seed: 0xffff_ffff } as const;

type CountFlag = keyof typeof LIMITS;

/** A usage error: the message says what is wrong and how to put it right. */
export class OptionsError extends Error {}

export const HELP = `Usage: npm run data:generate -- [options]

Fills the talents, trainings and regions databases with a large synthetic data set for load and dashboard work:
generated talents (profiles, ESCO skills, CEFR languages, residence histories in NUTS 2024 regions, mentoring
capacities and learning goals, about 20 mentorships and 10 exchanges per 100 talents), events of
the seed's organisations and programmes, and registrations of those talents for those events. The same options
give the same rows. Generated rows are marked synthetic; the demo seed is kept as it is.

Options:
  --talents N         generated talents (default ${DEFAULTS.talents})
  --events N          generated events (default ${DEFAULTS.events})
  --registrations N   registrations of generated talents for generated events (default ${DEFAULTS.registrations});
                      each event takes each talent once, and at most its capacity plus a 30% waitlist
  --seed N            random seed, 0 to ${LIMITS.seed} (default ${DEFAULTS.seed})
  --replace           remove the data set of an earlier run first; without it, a run that finds
                      generated rows stops and changes nothing
  -h, --help          show this help

Databases: the subgraphs' own configuration. TALENTS_DATABASE_URL, TRAININGS_DATABASE_URL and
REGIONS_DATABASE_URL (postgres://) select PostgreSQL, loaded with COPY; otherwise embedded PGlite in
DATA_DIR/<subgraph> (default .data/<subgraph>), loaded with COPY from in-memory blobs. Stop the subgraphs
(npm start) before generating into PGlite: an embedded database has one user at a time.

What it does:
  1. migrates each database and loads the demo seed if it is missing;
  2. in one transaction per database (talents, trainings), removes generated rows (--replace) and loads the new
     ones; both transactions commit only after every table has loaded, so a failure or Ctrl-C leaves the
     previous data as it was;
  3. runs VACUUM ANALYZE on each database.
Generated rows are found by their ids: talents, registrations, mentorships and exchanges 9e4e7a7e-…, events
generated-…; nothing
else is removed. --talents 0 --events 0 --registrations 0 --replace removes the generated data set.

Example: npm run data:generate -- --talents 100000 --events 5000 --registrations 1000000 --seed 42
`;

const FLAGS: Record<string, CountFlag | 'replace' | 'help'> = {
  '--talents': 'talents',
  '--events': 'events',
  '--registrations': 'registrations',
  '--seed': 'seed',
  '--replace': 'replace',
  '--help': 'help',
  '-h': 'help',
};

/** Parses the arguments after `--`; returns 'help' when help was asked for. */
export function parseOptions(argv: readonly string[]): GenerateOptions | 'help' {
  const options = { ...DEFAULTS };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = FLAGS[name];
    if (!flag) {
      if (!arg.startsWith('-')) throw new OptionsError(`Unexpected argument "${arg}": every value follows its option, e.g. --talents 1000.`);
      throw new OptionsError(`Unknown option "${name}".${suggest(name)} Known options: ${Object.keys(FLAGS).join(', ')}.`);
    }
    if (flag === 'help') return 'help';
    if (seen.has(flag)) throw new OptionsError(`--${flag} is given twice.`);
    seen.add(flag);
    if (flag === 'replace') {
      if (eq > 0) throw new OptionsError('--replace takes no value.');
      options.replace = true;
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      // A negative number is a (bad) value, not the next option.
      if (value === undefined || (value.startsWith('-') && !/^-\d/.test(value))) {
        throw new OptionsError(`--${flag} needs a value, e.g. --${flag} ${DEFAULTS[flag]}.`);
      }
      i++;
    }
    options[flag] = parseCount(flag, value);
  }
  if (options.registrations > 0 && (options.talents === 0 || options.events === 0)) {
    throw new OptionsError(
      `--registrations ${options.registrations} needs talents and events to register: ` +
        `--talents is ${options.talents} and --events is ${options.events}.`,
    );
  }
  return options;
}

function parseCount(flag: CountFlag, raw: string): number {
  const text = raw.trim().replace(/_/g, '');
  if (!/^-?\d+$/.test(text)) throw new OptionsError(`--${flag} must be a whole number; got "${raw}".`);
  const value = Number(text);
  if (value < 0) throw new OptionsError(`--${flag} must be 0 or more; got ${raw}.`);
  if (value > LIMITS[flag]) throw new OptionsError(`--${flag} must be at most ${LIMITS[flag]}; got ${raw}.`);
  return value;
}

/** " Did you mean --talents?" for a near miss (a typo, a missing s, a single dash). */
function suggest(name: string): string {
  const bare = name.replace(/^-+/, '').toLowerCase();
  if (bare.length < 2) return '';
  const match = Object.keys(FLAGS).find((known) => {
    const k = known.replace(/^-+/, '');
    return k.length > 1 && (k.startsWith(bare) || bare.startsWith(k) || distance(k, bare) <= 2);
  });
  return match ? ` Did you mean ${match}?` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
