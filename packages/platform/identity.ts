import { SignJWT, jwtVerify } from 'jose';

// Who is calling, as the gateway verified it, and the internal token that carries it to the subgraphs.
//
// The gateway checks the caller's JWT (from the partner's identity provider) and passes the identity on in a
// short-lived token of its own, signed with a secret only the gateway and the subgraphs hold. A subgraph trusts no
// other identity: a request sent to it directly with a made-up header is refused, one without a header is anonymous.

/** Roles a partner's token may carry, weakest first; each includes the ones before it. */
export const partnerRoles = ['viewer', 'editor', 'admin'] as const;
export type PartnerRole = (typeof partnerRoles)[number];
/** `service`: another subgraph of this graph acting on its own (e.g. passing on a talent's erasure). */
export type Role = PartnerRole | 'service';

export interface Identity {
  /** The caller's user id at its identity provider (never shown, never logged). */
  subject: string;
  /** The organisation the caller acts for, a slug id of the regions subgraph (e.g. `cemr`); empty for services. */
  organisationId: string;
  roles: readonly Role[];
}

/** The request header that carries the internal identity token from the gateway to a subgraph. */
export const identityHeader = 'x-talent-hub-identity';
export const internalIssuer = 'talent-hub-gateway';
export const internalAudience = 'talent-hub-subgraphs';
/** Outside production, the gateway and the subgraphs share this secret unless INTERNAL_TOKEN_SECRET is set. */
export const developmentInternalSecret = 'development-only-internal-secret-not-for-production';
/** Lifetime of an internal token; the gateway reuses one for a caller for half of it. */
export const internalTokenSeconds = 60;

const organisationSlug = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The scopes an identity holds, for `@requiresScopes`: its roles with the weaker ones they include
 * (an admin is also an editor and a viewer), plus `authenticated`.
 */
export function scopesOf(identity: Identity | null): ReadonlySet<string> {
  const scopes = new Set<string>();
  if (!identity) return scopes;
  scopes.add('authenticated');
  for (const role of identity.roles) {
    if (role === 'service') {
      scopes.add('service');
      continue;
    }
    for (const weaker of partnerRoles.slice(0, partnerRoles.indexOf(role) + 1)) scopes.add(weaker);
  }
  return scopes;
}

/** Checks claims read from a token and returns the identity they describe; throws with the reason otherwise. */
export function identityFromClaims(claims: Record<string, unknown>, allowed: readonly Role[] = partnerRoles): Identity {
  const { sub, org, roles } = claims;
  if (typeof sub !== 'string' || sub === '' || sub.length > 200) throw new Error('the token has no valid `sub` claim');
  if (!Array.isArray(roles) || roles.length === 0 || roles.some((r) => !allowed.includes(r as Role))) {
    throw new Error(`the \`roles\` claim must be a non-empty list of ${allowed.join(', ')}`);
  }
  const isService = roles.includes('service');
  if (isService ? org !== undefined && org !== '' : typeof org !== 'string' || !organisationSlug.test(org) || org.length > 100) {
    throw new Error('the `org` claim must be an organisation id such as `cemr`');
  }
  return { subject: sub, organisationId: isService ? '' : (org as string), roles: [...new Set(roles as Role[])] };
}

const encoder = new TextEncoder();

/** Signs an identity into an internal token (HS256, `internalTokenSeconds` long). */
export async function signInternalToken(identity: Identity, secret: string, seconds = internalTokenSeconds): Promise<string> {
  return new SignJWT({ org: identity.organisationId, roles: [...identity.roles] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(identity.subject)
    .setIssuer(internalIssuer)
    .setAudience(internalAudience)
    .setIssuedAt()
    .setExpirationTime(`${seconds}s`)
    .sign(encoder.encode(secret));
}

/** The identity in an internal token; throws when the token is not one this graph signed, or has expired. */
export async function verifyInternalToken(token: string, secret: string): Promise<Identity> {
  const { payload } = await jwtVerify(token, encoder.encode(secret), {
    algorithms: ['HS256'],
    issuer: internalIssuer,
    audience: internalAudience,
    clockTolerance: 5,
    requiredClaims: ['exp', 'sub'],
  });
  return identityFromClaims(payload, [...partnerRoles, 'service']);
}

/**
 * Verifies internal tokens, remembering the ones it accepted until they expire: the gateway sends the same token for
 * a caller for a while, and HMAC checks and JSON parsing per request add up under load.
 */
export class InternalTokenVerifier {
  private readonly accepted = new Map<string, { identity: Identity; expiresAt: number }>();
  constructor(
    private readonly secret: string,
    private readonly maxEntries = 10_000,
  ) {}

  async verify(token: string): Promise<Identity> {
    const now = Date.now();
    const known = this.accepted.get(token);
    if (known && known.expiresAt > now) return known.identity;
    if (known) this.accepted.delete(token);
    const identity = await verifyInternalToken(token, this.secret);
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number };
    if (this.accepted.size >= this.maxEntries) this.accepted.clear();
    this.accepted.set(token, { identity, expiresAt: exp * 1000 });
    return identity;
  }
}

/**
 * Signs internal tokens for the gateway, one per distinct identity reused for half its lifetime, so that a busy
 * caller costs one signature a minute rather than one per subgraph fetch.
 */
export class InternalTokenSigner {
  private readonly issued = new Map<string, { token: Promise<string>; renewAt: number }>();
  constructor(
    private readonly secret: string,
    private readonly maxEntries = 10_000,
  ) {}

  sign(identity: Identity): Promise<string> {
    const key = `${identity.subject}\u0000${identity.organisationId}\u0000${identity.roles.join(',')}`;
    const now = Date.now();
    const known = this.issued.get(key);
    if (known && known.renewAt > now) return known.token;
    if (this.issued.size >= this.maxEntries) this.issued.clear();
    const token = signInternalToken(identity, this.secret);
    this.issued.set(key, { token, renewAt: now + (internalTokenSeconds * 1000) / 2 });
    token.catch(() => this.issued.delete(key));
    return token;
  }
}
