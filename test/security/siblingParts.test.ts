import { beforeAll, describe, expect, it } from 'vitest';
import { OTHER_EMAIL, PASSWORD } from '../helpers/emulator.js';
import { followAuthorize } from '../helpers/authorize.js';
import { BrowserJar } from '../helpers/browserJar.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { makeService } from '../helpers/service.js';

const APP = 'https://app.example.com';
const SIBLING = 'https://evil.example.com';
const BIG_EMAIL = 'big-sibling@example.com';
// The emulator only redirects to localhost; the browser below plays the app at app.example.com over https.
const REDIRECT = 'https://localhost/callback';

/**
 * Issue 13.4: a sibling subdomain (evil.example.com) sets `wos-session.<n>` with `Domain=example.com`. The
 * browser sends it to app.example.com next to the real parts; reads must take exactly the parts the session
 * was written with, so the user stays signed in, and stays signed in after signing in again.
 */
describe('a sibling subdomain planting session parts', () => {
  const ctx = useEmulator();
  beforeAll(async () => {
    // A user whose profile makes the sealed session span several cookies.
    const metadata = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key${i}`, `v${i}-`.padEnd(480, 'x')]));
    const res = await fetch(`${ctx.em.url}/user_management/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ctx.em.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: BIG_EMAIL, password: PASSWORD, first_name: 'Big', metadata }),
    });
    expect(res.ok).toBe(true);
  });

  async function signInBrowser(jar: BrowserJar, service: ReturnType<typeof makeService>['service'], email: string) {
    const started = await service.createSignIn(new Response(null, { status: 302 }), { loginHint: email });
    await jar.storeResponse(APP, started.response);
    const { code, state, callback } = await followAuthorize(started.url);
    const callbackUrl = `${APP}${callback.pathname}${callback.search}`;
    const result = await service.handleCallback(await jar.request(callbackUrl), new Response(null, { status: 302 }), { code, state });
    await jar.storeResponse(callbackUrl, result.response);
  }

  it('ignores a planted part past the session’s own parts, before and after signing in again', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, { redirectUri: REDIRECT });
    const jar = new BrowserJar();
    await signInBrowser(jar, service, BIG_EMAIL);
    const parts = (await jar.names(APP)).filter((name) => name.startsWith('wos-session'));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect((await service.withAuth(await jar.request(`${APP}/`))).auth.user?.email).toBe(BIG_EMAIL);

    // The attack: the next part index, and a few more, from the sibling, for the whole parent domain.
    for (let index = parts.length; index < 8; index++)
      await jar.store(SIBLING, `wos-session.${index}=planted; Domain=example.com; Path=/; Secure; Max-Age=86400`);
    const sent = await jar.names(APP);
    expect(sent).toContain(`wos-session.${parts.length}`);

    const attacked = await service.withAuth(await jar.request(`${APP}/`));
    expect(attacked.auth.user?.email).toBe(BIG_EMAIL);

    await signInBrowser(jar, service, BIG_EMAIL);
    expect(await jar.names(APP)).toContain(`wos-session.${parts.length}`);
    expect((await service.withAuth(await jar.request(`${APP}/`))).auth.user?.email).toBe(BIG_EMAIL);
  });

  it('a small session is not touched by planted parts either', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, { redirectUri: REDIRECT });
    const jar = new BrowserJar();
    await signInBrowser(jar, service, OTHER_EMAIL);
    await jar.store(SIBLING, 'wos-session.1=planted; Domain=example.com; Path=/; Secure');
    expect((await service.withAuth(await jar.request(`${APP}/`))).auth.user?.email).toBe(OTHER_EMAIL);
  });
});
