import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execute } from '@talent-hub/examples/client';
import { dashboardClientName } from './client-name.js';

// Every page asks the graph through the typed client, as the dashboard client (its trusted documents), with the
// token the user signed in with. The graph is the page's own origin: the gateway answers GraphQL at `/`.

const tokenKey = 'talent-hub-dashboard-token';
const endpoint = () => new URL('/', window.location.origin).href;

export const storedToken = (): string | undefined => sessionStorage.getItem(tokenKey) ?? undefined;

export function storeToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(tokenKey, token);
  else sessionStorage.removeItem(tokenKey);
}

export function ask<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables, signal: AbortSignal): Promise<TResult> {
  return execute(endpoint(), document, variables, storedToken(), { clientName: dashboardClientName, signal });
}

/** POST /dev/token: a development token for `org`, minted by a gateway that runs with the development secret. */
export async function mintDevelopmentToken(org: string): Promise<string> {
  const response = await fetch(new URL('/dev/token', window.location.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ org, role: 'viewer' }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; errors?: { message: string }[] };
  if (!response.ok || !body.token) {
    const reason = response.status === 404 ? 'this gateway does not mint development tokens' : (body.errors?.[0]?.message ?? `HTTP ${response.status}`);
    throw new Error(`No development token: ${reason}`);
  }
  return body.token;
}
