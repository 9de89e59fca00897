import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { badUserInput, clientErrorCodes, errorCodeTable, errorCodes, graphqlError, invalidInput, isErrorCode, notFound } from './errors.js';
import { projectRoot } from './paths.js';

describe('error codes', () => {
  it('make errors carrying their code and details', () => {
    expect(badUserInput('Argument "code" is malformed.', 'code').extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'code' });
    expect(invalidInput([{ field: 'input.email', message: 'is not an address' }]).message).toBe('Invalid input: input.email: is not an address');
    expect(notFound('talent', 'id').extensions).toEqual({ code: 'NOT_FOUND', argumentName: 'id' });
    expect(graphqlError('QUERY_TOO_DEEP', 'too deep', { limit: 15, measured: 16 }, { status: 400 }).extensions).toEqual({
      code: 'QUERY_TOO_DEEP',
      limit: 15,
      measured: 16,
      http: { status: 400 },
    });
  });

  it('keep the messages of client codes in production, and only those', () => {
    expect(clientErrorCodes.has('NOT_FOUND')).toBe(true);
    expect(clientErrorCodes.has('BAD_USER_INPUT')).toBe(true);
    expect(clientErrorCodes.has('INTERNAL_SERVER_ERROR')).toBe(false);
    expect(isErrorCode('NOT_FOUND')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('are each documented with a status, a raiser and a description', () => {
    for (const [code, info] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(info.description.length, code).toBeGreaterThan(20);
      expect([200, 400, 401, 403, 404, 405, 413, 415, 429, 500, 503]).toContain(info.status);
    }
  });

  it('are shown in the README exactly as registered', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    expect(readme).toContain(errorCodeTable());
  });
});
