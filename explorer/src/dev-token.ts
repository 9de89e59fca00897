// POST /dev/token (gateway/dev-token.ts): a gateway that checks tokens with the development secret mints one for
// an organisation and role. Any other gateway has no such route (404): tokens then come from its identity provider.

export const partnerRoles = ['viewer', 'editor', 'admin'] as const;

export interface DevTokenRequest {
  org: string;
  role: string;
}

/** A token from the gateway at this page's origin; throws an Error with a message for the user otherwise. */
export async function fetchDevelopmentToken(request: DevTokenRequest, fetchImpl: typeof fetch = fetch): Promise<{ token: string; expiresAt: string }> {
  let response: Response;
  try {
    response = await fetchImpl('/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch {
    throw new Error('The gateway could not be reached for a development token.');
  }
  if (response.status === 404) {
    throw new Error('This gateway mints no development tokens (it checks tokens with a real secret or an identity provider): paste a token into the headers.');
  }
  const body = (await response.json().catch(() => undefined)) as { token?: unknown; expiresAt?: unknown; errors?: { message?: unknown }[] } | undefined;
  if (!response.ok || typeof body?.token !== 'string') {
    const reason = body?.errors?.[0]?.message;
    throw new Error(`No development token: ${typeof reason === 'string' ? reason : `HTTP ${response.status}`}`);
  }
  return { token: body.token, expiresAt: String(body.expiresAt) };
}
