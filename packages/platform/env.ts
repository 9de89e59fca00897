// Readers for environment variables that fail fast with a message naming the variable, so a typo in a
// deployment stops the service at start instead of surfacing as odd behaviour later.

export type Env = Record<string, string | undefined>;

export function readPort(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a TCP port from 0 to 65535; got "${raw}"`);
  }
  return port;
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false; got "${env[name]}"`);
}

export function readUrl(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be a URL; got a value that does not parse`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new Error(`${name} must start with ${protocols.join(' or ')}; got ${url.protocol}`);
  }
  return raw;
}

export function readString(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

/** True when NODE_ENV is `production`: secrets must then be configured, never defaulted. */
export function isProduction(env: Env): boolean {
  return env.NODE_ENV === 'production';
}

/**
 * A shared secret of at least 32 bytes. Outside production a fixed development secret stands in when the variable
 * is absent, so that `npm start`, `npm run token` and the tests agree without setup; in production it must be set.
 */
export function readSecret(env: Env, name: string, developmentFallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (isProduction(env)) throw new Error(`${name} must be set in production (a random string of at least 32 characters)`);
    return developmentFallback;
  }
  if (Buffer.byteLength(raw) < 32) throw new Error(`${name} must be at least 32 characters long`);
  return raw;
}

/** A whole number within bounds, or the fallback when absent. */
export function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
  }
  return value;
}
