// The headers editor holds JSON (GraphiQL sends each key as an HTTP header). The development-token button writes
// the Authorization header into it, keeping any other header the user typed.

/** `headers` (the editor's text) with `Authorization: Bearer <token>`; throws an Error saying why when the text is not a JSON object. */
export function withAuthorization(headers: string, token: string): string {
  let parsed: unknown = {};
  if (headers.trim() !== '') {
    try {
      parsed = JSON.parse(headers);
    } catch {
      throw new Error('The headers are not valid JSON: correct or clear them, then press the button again.');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The headers must be a JSON object, e.g. {"Authorization": "Bearer ..."}.');
  }
  // Any spelling of the header is replaced, so that the request never carries two tokens.
  const others = Object.entries(parsed).filter(([key]) => key.toLowerCase() !== 'authorization');
  return JSON.stringify({ Authorization: `Bearer ${token}`, ...Object.fromEntries(others) }, null, 2);
}

/** True when the editor's text already sets an Authorization header. */
export function hasAuthorization(headers: string): boolean {
  try {
    const parsed: unknown = JSON.parse(headers);
    return typeof parsed === 'object' && parsed !== null && Object.keys(parsed).some((key) => key.toLowerCase() === 'authorization');
  } catch {
    return false;
  }
}
