import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { identityFromClaims, type Identity } from '@talent-hub/platform/identity';

// Checks the bearer JWT of an incoming request. No Authorization header: an anonymous caller, who reads public
// data only. A header that is not a valid token of our issuer and audience: refused with 401 and the reason.

export interface AuthConfig {
  /** HS256 secret (development, tests, small deployments); used when no JWKS URL is set. */
  jwtSecret?: string;
  /** The identity provider's JWKS URL: tokens are then RS256 or ES256, checked against its published keys. */
  jwksUrl?: string;
  issuer: string;
  audience: string;
  /** Leeway for `exp` and `nbf` against clock drift between the identity provider and this machine. */
  clockToleranceSeconds: number;
}

/** Why a request's credentials were refused; the HTTP layer answers 401 with this message. */
export class AuthenticationError extends Error {}

export type Authenticate = (authorization: string | undefined) => Promise<Identity | null>;

const bearer = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

export function createAuthenticator(config: AuthConfig): Authenticate {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (config.jwksUrl) {
    key = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
    algorithms = ['RS256', 'ES256'];
  } else if (config.jwtSecret) {
    key = new TextEncoder().encode(config.jwtSecret);
    algorithms = ['HS256'];
  } else {
    throw new Error('Set AUTH_JWKS_URL or AUTH_JWT_SECRET: the gateway needs a key to check tokens with');
  }

  return async (authorization) => {
    if (authorization === undefined || authorization === '') return null;
    const match = bearer.exec(authorization.trim());
    if (!match) throw new AuthenticationError('The Authorization header must be "Bearer <JWT>".');
    try {
      const { payload } = await jwtVerify(match[1]!, key as Uint8Array, {
        algorithms,
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: config.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      return identityFromClaims(payload);
    } catch (error) {
      throw new AuthenticationError(`The bearer token was refused: ${describe(error)}.`);
    }
  };
}

/** A reason a client can act on, without echoing the token. */
function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'it has expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'its signature does not match';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'its algorithm is not accepted';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `claim check failed (${(error as { claim?: string }).claim ?? 'unknown'})`;
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'no key of the identity provider matches it';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
      return 'the identity provider keys could not be fetched';
    default:
      return code ? 'it is not a valid token' : (error as Error).message;
  }
}
