import { SignJWT } from 'jose';
import { defaultAudience, defaultIssuer, developmentJwtSecret } from '@talent-hub/gateway/config';
import type { PartnerRole } from '@talent-hub/platform/identity';

/** A bearer token the test gateway accepts (development secret, issuer and audience), unless options spoil it. */
export async function mintToken(
  org: string,
  role: PartnerRole = 'editor',
  options: { sub?: string; expiresIn?: string | number; issuer?: string; audience?: string; secret?: string; roles?: unknown } = {},
): Promise<string> {
  return new SignJWT({ org, roles: options.roles ?? [role] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub ?? `test-${org}-${role}`)
    .setIssuer(options.issuer ?? defaultIssuer)
    .setAudience(options.audience ?? defaultAudience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(new TextEncoder().encode(options.secret ?? developmentJwtSecret));
}
