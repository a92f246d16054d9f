/**
 * `npx tsx --expose-gc bench/miss-cost.ts` (or `node --expose-gc --import tsx`): only the cache-miss row of
 * `npm run bench` (bench/lib/missCost.ts), on a real emulator session. BENCH_MISS_BLOCKS sets the blocks.
 */
import { WorkOS } from '@workos-inc/node';
import { CLIENT_ID, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD, startEmulator } from '../test/helpers/emulator.js';
import { nodeCryptoBackend, sealData } from './lib/ours.js';
import { formatMissCost, missCost } from './lib/missCost.js';

const em = await startEmulator();
try {
  const workos = new WorkOS(em.apiKey, { apiHostname: 'localhost', port: em.port, https: false, clientId: CLIENT_ID });
  const auth = await workos.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: CLIENT_ID });
  const session = { accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user };
  const result = await missCost({
    port: em.port,
    apiKey: em.apiKey,
    issuer: em.url,
    seal: () => sealData(session, { password: COOKIE_PASSWORD }, undefined, nodeCryptoBackend),
    request: (cookie) => new Request('http://localhost:3000/', { headers: { cookie: `wos-session=${encodeURIComponent(cookie)}` } }),
  });
  console.log(formatMissCost(result));
  if (result.failures > 0) process.exitCode = 1;
} finally {
  await em.close();
}
