import { readStores } from './config.js';
import { HELP, OptionsError, parseOptions, type GenerateOptions } from './options.js';
import { Progress } from './progress.js';
import { CapacityError } from './registrations.js';
import { ExistingDataError, generateData, summarise, type Stores } from './run.js';

// `npm run data:generate -- [options]`: see HELP in options.ts. Progress and status go to stderr, the summary to
// stdout. Exit codes: 0 done; 1 failed (the databases are as they were); 2 bad options, bad configuration, or
// generated data already there without --replace; 130 interrupted (rolled back).

const log = (line: string) => process.stderr.write(`${line}\n`);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function readInput(): { options: GenerateOptions; stores: Stores } {
  try {
    const options = parseOptions(process.argv.slice(2));
    if (options === 'help') {
      process.stdout.write(HELP);
      process.exit(0);
    }
    return { options, stores: readStores() };
  } catch (error) {
    log(`data:generate: ${message(error)}`);
    if (error instanceof OptionsError) log('Run with --help for usage.');
    process.exit(2);
  }
}

const { options, stores } = readInput();

// Ctrl-C once: stop between chunks and roll back. Twice: leave at once (open transactions die with the connection).
const abort = new AbortController();
process.on('SIGINT', () => {
  if (abort.signal.aborted) process.exit(130);
  log('\nInterrupted: stopping; what has not committed rolls back (Ctrl-C again to quit at once)');
  abort.abort(new Error('Interrupted; nothing was committed.'));
});

try {
  log(
    `data:generate: ${options.talents} talents, ${options.events} events, ${options.registrations} registrations, ` +
      `seed ${options.seed}${options.replace ? ', replacing earlier generated data' : ''}`,
  );
  const result = await generateData(options, stores, {
    progress: new Progress({ output: process.stderr, interactive: process.stderr.isTTY === true }),
    log,
    signal: abort.signal,
  });
  process.stdout.write(`${summarise(result)}\n`);
} catch (error) {
  log(`data:generate: ${message(error)}`);
  const usage = error instanceof ExistingDataError || error instanceof CapacityError;
  process.exit(abort.signal.aborted ? 130 : usage ? 2 : 1);
}
