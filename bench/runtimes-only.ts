/**
 * `npm run bench:runtimes`: only the runtime rows of `npm run bench` (bench/runtimes.ts), without the
 * function-level, memory, HTTP and library parts. BENCH_RUNTIMES (e.g. `workerd`) runs only the runtimes named.
 */
import { WorkOS } from '@workos-inc/node';
import { CLIENT_ID, DEMO_EMAIL, PASSWORD, startEmulator } from '../test/helpers/emulator.js';
import { FaultProxy } from '../test/helpers/faultProxy.js';
import { runRuntimeBench } from './runtimes.js';

const em = await startEmulator();
const proxy = await new FaultProxy(em.port).start();
try {
  const workos = new WorkOS(em.apiKey, { apiHostname: 'localhost', port: em.port, https: false, clientId: CLIENT_ID });
  const auth = await workos.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: CLIENT_ID });
  const session = { accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user };
  await runRuntimeBench(proxy.port, em.apiKey, em.url, session);
} finally {
  await proxy.close();
  await em.close();
}
