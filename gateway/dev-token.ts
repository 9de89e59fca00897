import type http from 'node:http';
import { SignJWT } from 'jose';
import { errorBody } from '@talent-hub/platform/errors';
import type { HttpRoute } from '@talent-hub/platform/http-front';
import { identityFromClaims, partnerRoles, type PartnerRole } from '@talent-hub/platform/identity';
import type { AuthConfig } from './auth.js';
import { developmentJwtSecret } from './config.js';

// Development tokens, for `npm run token` and the web apps' "development token" button (POST /dev/token). Only a
// gateway that checks tokens with the development secret mints them: that secret is in this repository, so anyone
// can already sign such tokens, and a gateway with a real secret or an identity provider never offers the route.

export interface DevTokenRequest {
  org: string;
  role?: string;
  sub?: string;
  hours?: number;
}

export const devTokenPath = '/dev/token';
const maxBodyBytes = 4_096;

/** True when tokens signed with the development secret are the ones this gateway accepts. */
export function mintsDevelopmentTokens(auth: AuthConfig): boolean {
  return !auth.jwksUrl && auth.jwtSecret === developmentJwtSecret;
}

/** Signs a token the gateway accepts; throws an Error with a message for the caller when the request is not valid. */
export async function mintToken(auth: AuthConfig, request: DevTokenRequest): Promise<{ token: string; expiresAt: string }> {
  if (!auth.jwtSecret) throw new Error('AUTH_JWKS_URL is set: tokens come from that identity provider, not from here');
  const hours = request.hours ?? 8;
  if (!Number.isInteger(hours) || hours < 1 || hours > 720) throw new Error('hours must be a whole number from 1 to 720');
  const role = request.role ?? 'viewer';
  if (!partnerRoles.includes(role as PartnerRole)) throw new Error(`role must be one of ${partnerRoles.join(', ')}`);
  const org = request.org;
  const sub = request.sub ?? `dev-${org}-${role}`;
  // The same checks the gateway makes on a token's claims, so a token minted here is one it accepts.
  identityFromClaims({ sub, org, roles: [role] });
  const expiresAt = new Date(Date.now() + hours * 3_600_000);
  const token = await new SignJWT({ org, roles: [role] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(new TextEncoder().encode(auth.jwtSecret));
  return { token, expiresAt: expiresAt.toISOString() };
}

/** POST /dev/token with `{"org": "cemr", "role": "viewer"}` answers `{"token": "...", "expiresAt": "..."}`. */
export function devTokenRoute(auth: AuthConfig): HttpRoute {
  return {
    prefix: devTokenPath,
    async handle(req, res) {
      if (req.method !== 'POST') {
        req.resume();
        res.setHeader('allow', 'POST');
        return json(res, 405, errorBody('BAD_REQUEST', 'POST a JSON body {"org": "<organisation id>", "role": "viewer|editor|admin"}.'));
      }
      // Same-origin pages only: a page elsewhere must not mint tokens in a developer's browser.
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}` && origin !== `https://${req.headers.host}`) {
        req.resume();
        return json(res, 403, errorBody('FORBIDDEN', 'Development tokens are minted for pages of this gateway only.'));
      }
      let request: DevTokenRequest;
      try {
        request = parseRequest(await readBody(req));
      } catch (error) {
        return json(res, 400, errorBody('BAD_REQUEST', (error as Error).message));
      }
      try {
        json(res, 200, JSON.stringify(await mintToken(auth, request)));
      } catch (error) {
        json(res, 400, errorBody('BAD_USER_INPUT', (error as Error).message));
      }
    },
  };
}

function parseRequest(text: string): DevTokenRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('The body must be JSON: {"org": "<organisation id>", "role": "viewer|editor|admin"}.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('The body must be a JSON object.');
  const { org, role, hours } = value as Record<string, unknown>;
  if (typeof org !== 'string' || org === '') throw new Error('"org" must name an organisation id, e.g. "cemr".');
  if (role !== undefined && typeof role !== 'string') throw new Error('"role" must be a string.');
  if (hours !== undefined && typeof hours !== 'number') throw new Error('"hours" must be a number.');
  return { org, ...(role !== undefined ? { role } : {}), ...(hours !== undefined ? { hours } : {}) };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error(`The body is larger than ${maxBodyBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}
