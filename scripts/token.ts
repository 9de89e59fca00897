import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { readAuthConfig } from '@talent-hub/gateway/config';
import { identityFromClaims, partnerRoles } from '@talent-hub/platform/identity';

// Mints a development bearer token the gateway accepts: `npm run token -- --org cemr --role editor`.
// It signs with the gateway's HS256 secret as configured in this environment (AUTH_JWT_SECRET, or the development
// secret), with its issuer and audience. It refuses to run when the gateway is set up for a JWKS identity provider.

const usage = `Usage: npm run token -- --org <organisation id> [--role viewer|editor|admin] [--sub <user id>] [--hours <1-720>]`;

const { values } = parseArgs({
  options: {
    org: { type: 'string' },
    role: { type: 'string', default: 'viewer' },
    sub: { type: 'string' },
    hours: { type: 'string', default: '8' },
    help: { type: 'boolean', default: false },
  },
});

try {
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const hours = Number(values.hours);
  if (!Number.isInteger(hours) || hours < 1 || hours > 720) throw new Error('--hours must be a whole number from 1 to 720');
  if (!partnerRoles.includes(values.role as never)) throw new Error(`--role must be one of ${partnerRoles.join(', ')}`);
  const org = values.org ?? '';
  const sub = values.sub ?? `dev-${org}-${values.role}`;
  // The same checks the gateway makes on a token's claims, so a token minted here is one it accepts.
  identityFromClaims({ sub, org, roles: [values.role] });
  const auth = readAuthConfig(process.env);
  if (!auth.jwtSecret) throw new Error('AUTH_JWKS_URL is set: tokens come from that identity provider, not from this script');
  const token = await new SignJWT({ org, roles: [values.role] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime(`${hours}h`)
    .sign(new TextEncoder().encode(auth.jwtSecret));
  console.log(token);
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
