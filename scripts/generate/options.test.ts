import { describe, expect, it } from 'vitest';
import { DEFAULTS, HELP, OptionsError, parseOptions } from './options.js';

const error = (argv: string[]) => {
  try {
    parseOptions(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(OptionsError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

describe('options', () => {
  it('has defaults and reads every flag, with a space or an equals sign', () => {
    expect(parseOptions([])).toEqual(DEFAULTS);
    expect(parseOptions(['--talents', '100000', '--events=5000', '--registrations', '1_000_000', '--seed', '7', '--replace'])).toEqual({
      talents: 100_000,
      events: 5_000,
      registrations: 1_000_000,
      seed: 7,
      replace: true,
    });
  });

  it('allows zero counts, which with --replace removes the generated data set', () => {
    expect(parseOptions(['--talents', '0', '--events', '0', '--registrations', '0', '--replace'])).toMatchObject({ talents: 0, replace: true });
  });

  it('answers --help and -h with the help text', () => {
    expect(parseOptions(['--talents', '5', '--help'])).toBe('help');
    expect(parseOptions(['-h'])).toBe('help');
    expect(HELP).toContain('--replace');
    expect(HELP).toContain('TALENTS_DATABASE_URL');
  });

  it('says what is wrong with a bad flag', () => {
    expect(error(['--talent', '5'])).toMatch(/Unknown option "--talent"\. Did you mean --talents\?/);
    expect(error(['--colour'])).toMatch(/Unknown option "--colour"\. Known options: --talents/);
    expect(error(['5000'])).toMatch(/Unexpected argument "5000"/);
    expect(error(['--talents', '1.5'])).toBe('--talents must be a whole number; got "1.5".');
    expect(error(['--events', 'many'])).toBe('--events must be a whole number; got "many".');
    expect(error(['--talents', '-5'])).toBe('--talents must be 0 or more; got -5.');
    expect(error(['--registrations=-1'])).toBe('--registrations must be 0 or more; got -1.');
    expect(error(['--seed', '99999999999'])).toMatch(/--seed must be at most 4294967295/);
    expect(error(['--talents'])).toBe('--talents needs a value, e.g. --talents 100000.');
    expect(error(['--talents', '--events', '5'])).toBe('--talents needs a value, e.g. --talents 100000.');
    expect(error(['--talents', '5', '--talents', '6'])).toBe('--talents is given twice.');
    expect(error(['--replace=yes'])).toBe('--replace takes no value.');
    expect(error(['--talents', '0', '--registrations', '10'])).toMatch(/--registrations 10 needs talents and events to register/);
  });
});
