/**
 * `npm run bench:http`: only the HTTP part of `npm run bench` (bench/http.ts), with as many sealed cookies as
 * its rows need. BENCH_HTTP_CELLS (a regular expression on row names) keeps some rows (the floors always run),
 * BENCH_HTTP_COOKIES (default 100,000) is how many cookies to seal, BENCH_HTTP_ROUNDS and BENCH_HTTP_SECONDS
 * set the rounds and the seconds per cell, BENCH_HTTP_PIN=0 leaves the processes unpinned, BENCH_HTTP_CPU_PROF=<dir>
 * has every server process write a V8 CPU profile there when it is closed.
 */
import { WorkOS } from '@workos-inc/node';
import { nodeCryptoBackend, sealData } from './lib/ours.js';
import { CLIENT_ID, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD, startEmulator } from '../test/helpers/emulator.js';
import { runHttpBench } from './http.js';

const em = await startEmulator();
try {
  const workos = new WorkOS(em.apiKey, { apiHostname: 'localhost', port: em.port, https: false, clientId: CLIENT_ID });
  const auth = await workos.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: CLIENT_ID });
  const session = { accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user };
  const count = Number(process.env.BENCH_HTTP_COOKIES ?? 100_000);
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const sealed = await sealData(session, { password: COOKIE_PASSWORD }, undefined, nodeCryptoBackend);
    cookies.push(`wos-session=${encodeURIComponent(sealed)}`);
  }
  await runHttpBench({ apiPort: em.port, apiKey: em.apiKey, issuer: em.url, cookies });
} finally {
  await em.close();
}
