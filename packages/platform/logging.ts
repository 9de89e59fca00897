import pino, { type Logger } from 'pino';
import { readString, type Env } from './env.js';

export type { Logger } from 'pino';

// One logger per process, JSON lines (one object per line) for log collectors. In development (not production,
// standard output a terminal) lines are pretty-printed instead. Callers log ids, names of operations, durations
// and outcomes, never variables, tokens or personal data; the redaction below is a second line of defence for
// fields that must never appear even if someone logs a whole object.

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Paths dropped from every log line, whatever is logged. */
export const redactedPaths = [
  'variables',
  '*.variables',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-talent-hub-identity"]',
  '*.headers["x-talent-hub-identity"]',
  'token',
  '*.token',
];

export interface LoggerOptions {
  /** The service name on every line (`gateway`, `talents`, ...). */
  service: string;
  env?: Env;
  /** Where lines go (tests collect them); standard output by default. */
  destination?: pino.DestinationStream;
}

/**
 * Variables: `LOG_LEVEL` (fatal, error, warn, info, debug, trace or silent; default info), `LOG_FORMAT` (`json` or
 * `pretty`; default pretty when standard output is a terminal outside production, json otherwise).
 */
export function createLogger(options: LoggerOptions): Logger {
  const env = options.env ?? process.env;
  const level = readString(env, 'LOG_LEVEL', 'info');
  if (!(levels as readonly string[]).includes(level)) throw new Error(`LOG_LEVEL must be one of ${levels.join(', ')}; got "${level}"`);
  const format = readString(env, 'LOG_FORMAT', env.NODE_ENV !== 'production' && process.stdout.isTTY ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') throw new Error(`LOG_FORMAT must be json or pretty; got "${format}"`);
  const base = { level, base: { service: options.service }, redact: { paths: redactedPaths, remove: true } };
  if (options.destination) return pino(base, options.destination);
  if (format === 'pretty') {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino(base);
}
