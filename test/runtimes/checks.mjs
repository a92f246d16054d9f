// The runtime-agnostic core suite, run unchanged on Node, Bun, Deno and workerd by scripts/test-runtimes.ts.
// Only the package's public entries, WebCrypto, fetch and Request/Response: no `node:` imports, no
// `process`, no test framework. The package is imported by its own name, so each runtime resolves the
// export condition it would in an application (`node` on Node, `bun`, `deno`, `default` on workerd).
import { createAuthService, sessionEncryption } from 'authkit-session';
import { FetchSessionStorage, withAuthHandler } from 'authkit-session/fetch';

/** One hour and a minute: past the emulator's access-token lifetime (1 hour). */
const PAST_EXPIRY_MS = 3_660_000;

/**
 * Runs every check and never throws.
 * @param {{ apiPort: number, apiKey: string, clientId: string, redirectUri: string, cookiePassword: string,
 *   email: string, nodeSeal: string, nodeSealValue: unknown, sessionCookie: string, refreshCookie: string }} input
 *   `sessionCookie` and `refreshCookie` are two sessions sealed by Node (the second one is spent here).
 * @returns {Promise<{ entry: string, checks: Record<string, { ok: boolean, detail: string, ms: number }>, sealedHere: string | null }>}
 */
export async function runChecks(input) {
  const checks = {};
  // Which file of the package this runtime loaded (a bundle has no resolver left to ask).
  const entry = typeof import.meta.resolve === 'function' ? import.meta.resolve('authkit-session').split('/').pop() : 'bundled';
  let sealedHere = null;
  const config = {
    clientId: input.clientId,
    apiKey: input.apiKey,
    redirectUri: input.redirectUri,
    cookiePassword: input.cookiePassword,
    apiHostname: 'localhost',
    apiPort: input.apiPort,
    apiHttps: false,
  };
  const makeService = (clock) =>
    createAuthService({
      config,
      sessionStorageFactory: (resolved) => new FetchSessionStorage(resolved),
      ...(clock ? { clock } : {}),
    });
  const request = (cookie) => new Request('http://localhost:3000/', { headers: { cookie: `wos-session=${cookie}` } });

  await check(checks, 'sealRoundTrip', async () => {
    const value = { runtime: 'here', n: [1, 2, 3], nested: { ok: true }, text: 'ünïcødé ✓' };
    sealedHere = await sessionEncryption.sealData(value, { password: input.cookiePassword });
    const opened = await sessionEncryption.unsealData(sealedHere, { password: input.cookiePassword });
    expectEqual(opened, value, 'unsealed value');
    const other = await sessionEncryption.unsealData(sealedHere, { password: 'x'.repeat(40) }).then(
      () => 'opened',
      () => 'refused',
    );
    expectEqual(other, 'refused', 'seal under another password');
    return `${sealedHere.length}-char seal`;
  });

  await check(checks, 'readNodeSeal', async () => {
    const opened = await sessionEncryption.unsealData(input.nodeSeal, { password: input.cookiePassword });
    expectEqual(opened, input.nodeSealValue, 'Node-made seal');
    return 'Node-made seal opened';
  });

  await check(checks, 'withAuth', async () => {
    const { auth, refreshedSessionData } = await makeService().withAuth(request(input.sessionCookie));
    if (!auth.user) throw new Error(`unauthenticated: ${auth.reason}`);
    expectEqual(auth.user.email, input.email, 'user email');
    expectEqual(refreshedSessionData, undefined, 'refreshedSessionData');
    expectEqual(auth.claims.sid, auth.sessionId, 'sid claim');
    return `${auth.user.email}, ${auth.claims.exp - auth.claims.iat} s token`;
  });

  await check(checks, 'refresh', async () => {
    // The service's clock says the access token has expired: withAuth must refresh through the emulator.
    const service = makeService(() => Date.now() + PAST_EXPIRY_MS);
    const { auth, refreshedSessionData } = await service.withAuth(request(input.refreshCookie));
    if (!auth.user) throw new Error(`unauthenticated: ${auth.reason}`);
    if (!refreshedSessionData) throw new Error('no refreshedSessionData');
    const session = await (await service.getCore()).decryptSession(refreshedSessionData);
    expectEqual(session.accessToken === auth.accessToken, true, 're-sealed session holds the new access token');
    // With the real clock the new token is valid: no second refresh.
    const again = await makeService().withAuth(request(refreshedSessionData));
    if (!again.auth.user) throw new Error(`refreshed session rejected: ${again.auth.reason}`);
    expectEqual(again.refreshedSessionData, undefined, 'refreshedSessionData after the refresh');
    // The Fetch adapter's handler refreshes again and writes the new session back as a Set-Cookie header.
    const handler = withAuthHandler(
      makeService(() => Date.now() + 2 * PAST_EXPIRY_MS),
      (_request, result) => Response.json({ email: result.user?.email ?? null }),
    );
    const response = await handler(request(refreshedSessionData));
    expectEqual(await response.json(), { email: input.email }, 'handler body');
    const cookies = response.headers.getSetCookie();
    if (!cookies.some((c) => c.startsWith('wos-session='))) throw new Error(`no session Set-Cookie (${cookies.length} headers)`);
    return 'refreshed twice, Set-Cookie written';
  });

  await check(checks, 'garbageCookie', async () => {
    const service = makeService();
    const reasons = [];
    for (const cookie of ['garbage', `${input.sessionCookie.slice(0, -12)}AAAAAAAAAA~2`, '']) {
      const { auth } = await service.withAuth(request(cookie));
      reasons.push(auth.user ? 'authenticated' : auth.reason);
    }
    expectEqual(reasons, ['invalid_cookie', 'invalid_cookie', 'no_session'], 'reasons');
    return reasons.join(', ');
  });

  return { entry, checks, sealedHere };
}

async function check(results, name, body) {
  const started = Date.now();
  try {
    results[name] = { ok: true, detail: String(await body()), ms: Date.now() - started };
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    results[name] = { ok: false, detail, ms: Date.now() - started };
  }
}

function expectEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
