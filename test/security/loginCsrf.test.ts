import { parseSetCookie } from 'cookie-es';
import { describe, expect, it } from 'vitest';
import { AuthKitError } from '../../src/core/errors.js';
import { followAuthorize } from '../helpers/authorize.js';
import { BrowserJar } from '../helpers/browserJar.js';
import { DEMO_EMAIL, OTHER_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { makeService } from '../helpers/service.js';

const APP = 'https://app.example.com';
const SIBLING = 'https://evil.example.com';
// The emulator only redirects to localhost; the browser below plays the app at app.example.com over https.
const REDIRECT = 'https://localhost/callback';

/**
 * Issue 13.7: login CSRF by cookie tossing in the browser-bound mode. The attacker starts a sign-in of their
 * own, stops at the callback, plants their flow cookie for the whole parent domain from a sibling subdomain,
 * then sends the victim to the callback URL: the victim must not end up signed in as the attacker.
 */
describe('login CSRF by cookie tossing from a sibling subdomain', () => {
  const ctx = useEmulator();

  it('a flow cookie planted with Domain= never completes the attacker’s sign-in in the victim’s browser', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, { redirectUri: REDIRECT });

    // The attacker's own flow, in the attacker's browser.
    const attackerFlow = await service.createSignIn(new Response(null, { status: 302 }), { loginHint: OTHER_EMAIL });
    const line = attackerFlow.response?.headers.getSetCookie()[0] as string;
    const value = parseSetCookie(line)?.value as string;
    const { code, state, callback } = await followAuthorize(attackerFlow.url);

    // The victim's browser gets the attacker's cookie from the sibling, under every name that could work.
    const victim = new BrowserJar();
    const bare = attackerFlow.cookieName.replace(/^__Host-/, '');
    for (const name of [attackerFlow.cookieName, bare])
      await victim.store(SIBLING, `${name}=${encodeURIComponent(value)}; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Lax`);

    const callbackUrl = `${APP}${callback.pathname}${callback.search}`;
    const outcome = await service
      .handleCallback(await victim.request(callbackUrl), new Response(null, { status: 302 }), { code, state })
      .then((result) => result.authResponse.user.email)
      .catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(AuthKitError);
    expect((outcome as AuthKitError).code).toBe('state_mismatch');
    // Why: the app reads the flow cookie under its __Host- name, which a sibling cannot set.
    expect(attackerFlow.cookieName.startsWith('__Host-wos-auth-verifier-')).toBe(true);
    expect(await victim.names(APP)).toEqual([bare]);
  });

  it('the same flow completes in the browser that started it (the cookie is host-only, __Host-)', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, { redirectUri: REDIRECT });
    const browser = new BrowserJar();
    const started = await service.createSignIn(new Response(null, { status: 302 }), { loginHint: DEMO_EMAIL });
    await browser.storeResponse(APP, started.response);
    expect(await browser.names(APP)).toEqual([started.cookieName]);
    const { code, state, callback } = await followAuthorize(started.url);
    const callbackUrl = `${APP}${callback.pathname}${callback.search}`;
    const result = await service.handleCallback(await browser.request(callbackUrl), new Response(null, { status: 302 }), { code, state });
    expect(result.authResponse.user.email).toBe(DEMO_EMAIL);
    await browser.storeResponse(callbackUrl, result.response);
    expect(await browser.names(APP)).toEqual(['wos-session']);
  });

  it('keeps the 0.7 name where __Host- is impossible (cookieDomain or plain http)', async () => {
    for (const extra of [{ redirectUri: REDIRECT, cookieDomain: 'example.com' }, { redirectUri: 'http://localhost/callback' }]) {
      const { service } = makeService(ctx.em.port, ctx.em.apiKey, extra);
      const started = await service.createSignIn(undefined, {});
      expect(started.cookieName).toMatch(/^wos-auth-verifier-[0-9a-f]{8}$/);
    }
  });
});
