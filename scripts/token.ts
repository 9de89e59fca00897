import { parseArgs } from 'node:util';
import { readAuthConfig } from '@talent-hub/gateway/config';
import { partnerRoles } from '@talent-hub/platform/identity';
import { mintToken } from '@talent-hub/gateway/dev-token';

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
  const { token } = await mintToken(readAuthConfig(process.env), { org: values.org ?? '', role: values.role, ...(values.sub ? { sub: values.sub } : {}), hours });
  console.log(token);
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
