/**
 * `npm run bench:adapters`: only the adapter rows of the HTTP part (bench/lib/adapterPairs.ts), with the
 * servers pinned as in `npm run bench:http`. BENCH_ADAPTER_RUNS, BENCH_ADAPTER_REQUESTS, BENCH_ADAPTER_SLICE and
 * BENCH_ADAPTER_CONNECTIONS set the rounds, the requests per adapter and round, the requests per slice and the
 * connections.
 */
import { WorkOS } from '@workos-inc/node';
import { nodeCryptoBackend, sealData } from './lib/ours.js';
import { corePinning, pinSelf } from './lib/load.js';
import { compareAdapters } from './lib/adapterPairs.js';
import { CLIENT_ID, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD, startEmulator } from '../test/helpers/emulator.js';

const em = await startEmulator();
const pinning = corePinning();
const pinned = typeof pinning === 'object' ? pinning : undefined;
try {
  const workos = new WorkOS(em.apiKey, { apiHostname: 'localhost', port: em.port, https: false, clientId: CLIENT_ID });
  const auth = await workos.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: CLIENT_ID });
  const session = { accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user };
  const cookies: string[] = [];
  for (let i = 0; i < 1_000; i++) {
    const sealed = await sealData(session, { password: COOKIE_PASSWORD }, undefined, nodeCryptoBackend);
    cookies.push(`wos-session=${encodeURIComponent(sealed)}`);
  }
  if (pinned) pinSelf(pinned, pinned.driver);
  else console.log(`cores: not pinned (${pinning})`);
  await compareAdapters({ apiPort: em.port, apiKey: em.apiKey, issuer: em.url, cookies, pinned });
} finally {
  await em.close();
}
