import { createHash, createHmac, createSecretKey, randomBytes, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';

// Who is calling, as the gateway verified it, and the internal token that carries it to the subgraphs.
//
// The gateway checks the caller's JWT (from the partner's identity provider) and passes the identity on in a token
// of its own, signed with a secret only the gateway and the subgraphs hold. A subgraph trusts no other identity: a
// request sent to it directly with a made-up header is refused (and, in production, so is one without a header).
//
// An internal token is a compact JWT (HS256, header exactly `{"alg":"HS256","typ":"JWT"}`) signed for one HTTP
// request to one subgraph, so that a token read off the internal network is worth nothing elsewhere:
// - `aud`: the name of the subgraph it is for;
// - `rid`: the request id sent beside it in `x-request-id`;
// - `bh`: the SHA-256 (base64url) of the exact request body, so it cannot carry another operation or variables;
// - `iat`/`exp`: it lives `internalTokenSeconds` (10 s), checked with `internalClockToleranceSeconds` of leeway;
// - `jti`: unique per token; a subgraph process accepts each token once (InternalTokenVerifier);
// - the caller: `sub`, `org`, `roles`; or `anon: true` for an anonymous caller, which the gateway signs too, so
//   that in production a subgraph can refuse every request without a token.
// Signing is one HMAC and one hash per fetch with node:crypto (a few microseconds; no JOSE library on the path).

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
/** The request id header a token is bound to (`rid`). */
export const requestIdHeader = 'x-request-id';
export const internalIssuer = 'talent-hub-gateway';
/** Outside production, the gateway and the subgraphs share this secret unless INTERNAL_TOKEN_SECRET is set. */
export const developmentInternalSecret = 'development-only-internal-secret-not-for-production';
/** Lifetime of an internal token: it is signed for one request, sent at once, and retried with a new one. */
export const internalTokenSeconds = 10;
/** Leeway for clocks that differ between the gateway's host and a subgraph's. */
export const internalClockToleranceSeconds = 2;

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

/** What one internal token is signed for: the subgraph, the request id and the exact body of one HTTP request. */
export interface TokenBinding {
  /** The subgraph's name (its registry name, e.g. `talents`). */
  audience: string;
  /** The `x-request-id` sent with the request. */
  requestId: string;
  /** The request body, byte for byte as sent. */
  body: string | Uint8Array;
}

const tokenHeader = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** The `bh` claim: SHA-256 of the body, base64url. */
export function bodyHash(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

interface Clock {
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
}

/**
 * Signs internal tokens, one per HTTP request (the gateway's fetches, the subgraphs' calls to each other). Each
 * token has its own `jti`: a process-random prefix and a counter, so that two tokens are never equal.
 */
export class InternalTokenSigner {
  private readonly key: KeyObject;
  private readonly prefix = randomBytes(9).toString('base64url');
  private counter = 0;
  private readonly now: () => number;

  constructor(secret: string, options: Clock = {}) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.now = options.now ?? Date.now;
  }

  /** The token for `identity` (null: an anonymous caller) on the request `binding` describes. */
  sign(identity: Identity | null, binding: TokenBinding): string {
    const iat = Math.floor(this.now() / 1000);
    const claims = {
      iss: internalIssuer,
      aud: binding.audience,
      ...(identity ? { sub: identity.subject, org: identity.organisationId, roles: identity.roles } : { anon: true }),
      iat,
      exp: iat + internalTokenSeconds,
      jti: `${this.prefix}.${(this.counter++).toString(36)}`,
      rid: binding.requestId,
      bh: bodyHash(binding.body),
    };
    const signingInput = `${tokenHeader}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${signingInput}.${createHmac('sha256', this.key).update(signingInput).digest('base64url')}`;
  }

  /**
   * The headers of one signed request: the token and the request id it is bound to (a new one unless given; give
   * the incoming request's, so that log lines join).
   */
  headers(identity: Identity | null, binding: { audience: string; body: string; requestId?: string }): Record<string, string> {
    const requestId = binding.requestId ?? randomUUID();
    return { [identityHeader]: this.sign(identity, { ...binding, requestId }), [requestIdHeader]: requestId };
  }
}

/** One token signed with `secret` for `binding` (tests and one-off tools; services keep a signer). */
export function signInternalToken(identity: Identity | null, secret: string, binding: TokenBinding): string {
  return new InternalTokenSigner(secret).sign(identity, binding);
}

/** The headers of one request signed with `secret` (tests and one-off tools; services keep a signer). */
export function internalRequestHeaders(
  identity: Identity | null,
  secret: string,
  binding: { audience: string; body: string; requestId?: string },
): Record<string, string> {
  return new InternalTokenSigner(secret).headers(identity, binding);
}

/**
 * Verifies internal tokens for one subgraph: signature, audience, life, request id and body hash, and that the token
 * was not already used in this process (a replica does not know what another accepted: the binding to the body and
 * the short life are what make a copied token useless there). Resolves to the caller, null for an anonymous one.
 */
export class InternalTokenVerifier {
  private readonly key: KeyObject;
  /** `jti` of each token accepted, until it expires; in order of acceptance, which is about the order of expiry. */
  private readonly used = new Map<string, number>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(secret: string, options: Clock & { maxEntries?: number } = {}) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 200_000;
  }

  verify(token: string, binding: TokenBinding): Identity | null {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== tokenHeader) throw new Error('the token is not an internal token (HS256 JWT)');
    const expected = createHmac('sha256', this.key).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2]!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('the token\'s signature does not verify');
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new Error('the token\'s claims are not JSON');
    }
    if (claims === null || typeof claims !== 'object') throw new Error('the token\'s claims are not an object');
    const { iss, aud, iat, exp, jti, rid, bh } = claims;
    if (iss !== internalIssuer) throw new Error('the token was not issued by this graph');
    if (aud !== binding.audience) throw new Error(`the token is not for the ${binding.audience} subgraph`);
    const now = this.now() / 1000;
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > internalTokenSeconds || exp < iat) {
      throw new Error(`the token must live at most ${internalTokenSeconds} s`);
    }
    if (iat > now + internalClockToleranceSeconds) throw new Error('the token was issued in the future');
    if (exp < now - internalClockToleranceSeconds) throw new Error('the token has expired');
    if (rid !== binding.requestId) throw new Error('the token is for another request id');
    if (bh !== bodyHash(binding.body)) throw new Error('the token was signed for another request body');
    if (typeof jti !== 'string' || jti === '' || jti.length > 100) throw new Error('the token has no valid `jti` claim');
    const identity = claims.anon === true && claims.sub === undefined && claims.roles === undefined ? null : identityFromClaims(claims, [...partnerRoles, 'service']);
    this.remember(jti, (exp + internalClockToleranceSeconds) * 1000);
    return identity;
  }

  /** Accepts `jti` once: refuses it again until it has expired. */
  private remember(jti: string, expiresAt: number): void {
    const now = this.now();
    for (const [seen, until] of this.used) {
      if (until >= now && this.used.size < this.maxEntries) break;
      this.used.delete(seen);
    }
    const known = this.used.get(jti);
    if (known !== undefined && known >= now) throw new Error('the token was already used');
    this.used.set(jti, expiresAt);
  }
}
