/**
 * `npx tsx bench/libraries-only.ts`: only the library comparison of `npm run bench` (bench/libraries.ts),
 * on a real emulator session. LIBRARY_ROUNDS and LIBRARY_CALLS set its rounds and calls per side.
 */
import { WorkOS } from '@workos-inc/node';
import { CLIENT_ID, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD, startEmulator } from '../test/helpers/emulator.js';
import { runLibraryBench } from './libraries.js';

const em = await startEmulator();
try {
  const workos = new WorkOS(em.apiKey, { apiHostname: 'localhost', port: em.port, https: false, clientId: CLIENT_ID });
  const auth = await workos.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: CLIENT_ID });
  const session = { accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user };
  await runLibraryBench(session, auth.accessToken, `${em.url}/sso/jwks/${CLIENT_ID}`, COOKIE_PASSWORD, em.url, CLIENT_ID);
} finally {
  await em.close();
}
