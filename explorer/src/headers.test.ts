import { describe, expect, it } from 'vitest';
import { hasAuthorization, withAuthorization } from './headers.js';

describe('withAuthorization (the development-token button writing into the headers editor)', () => {
  it('writes the bearer token into empty headers', () => {
    expect(JSON.parse(withAuthorization('', 'abc'))).toEqual({ Authorization: 'Bearer abc' });
  });

  it('keeps the other headers and replaces a token in any spelling', () => {
    const headers = JSON.stringify({ authorization: 'Bearer old', 'apollographql-client-name': 'me' });
    expect(JSON.parse(withAuthorization(headers, 'new'))).toEqual({ Authorization: 'Bearer new', 'apollographql-client-name': 'me' });
  });

  it('refuses headers that are not a JSON object, saying what to do', () => {
    expect(() => withAuthorization('{"Authorization": ', 't')).toThrow('The headers are not valid JSON: correct or clear them, then press the button again.');
    expect(() => withAuthorization('["x"]', 't')).toThrow('The headers must be a JSON object');
  });

  it('tells whether the headers already carry a token', () => {
    expect(hasAuthorization('{"AUTHORIZATION": "Bearer x"}')).toBe(true);
    expect(hasAuthorization('{"x-request-id": "1"}')).toBe(false);
    expect(hasAuthorization('not json')).toBe(false);
  });
});
