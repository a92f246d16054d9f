import { describe, expect, it } from 'vitest';
import { getPKCECookieNameForState } from '../../src/core/pkce/cookieName.js';
import { OAuthStateMismatchError, PKCECookieMissingError, PKCEPayloadTooLargeError } from '../../src/core/pkce/errors.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { makeService } from '../helpers/service.js';
import { requestWithCookies } from '../helpers/requests.js';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';
import { authorize, rejectsWith } from '../helpers/signInFlow.js';

const ctx = useEmulatorWithProxy();

describe('browser-bound sign-in (per-flow cookie)', () => {
  it('completes only with the cookie written when the flow started, and clears it', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const started = await service.createSignIn(new Response(), { loginHint: DEMO_EMAIL, state: 'bound' });
    const setCookie = started.response?.headers.get('set-cookie') as string;
    expect(started.cookieName).toMatch(/^wos-auth-verifier-[0-9a-f]{8}$/);
    expect(setCookie).toMatch(new RegExp(`^${started.cookieName}=Fe26\\.2\\*[^;]+; Max-Age=600; Path=/; HttpOnly; SameSite=Lax`));
    const value = decodeURIComponent(setCookie.split(';')[0]?.split('=')[1] as string);
    const { code, state, callback } = await authorize(started.url);
    // The cookie holds exactly the state the URL carries, and is named from it, as in 0.5–0.7.
    expect(value).toBe(state);
    expect(started.cookieName).toBe(getPKCECookieNameForState(state as string));

    await rejectsWith(service.handleCallback(new Request(callback), new Response(), { code, state }), 'state_mismatch');
    await rejectsWith(
      service.handleCallback(requestWithCookies({ [started.cookieName]: 'someone-else' }, callback.href), new Response(), { code, state }),
      'state_mismatch',
    );
    const result = await service.handleCallback(requestWithCookies({ [started.cookieName]: value }, callback.href), new Response(), {
      code,
      state,
    });
    expect(result.state).toBe('bound');
    const cookies = result.response?.headers.getSetCookie() ?? [];
    expect(cookies[0]).toMatch(/^wos-session=Fe26/);
    expect(cookies.filter((c) => c.startsWith(`${started.cookieName}=; Max-Age=0`))).toHaveLength(1);
    expect(cookies).toHaveLength(2);
  });

  it('throws the 0.5–0.7 error classes: missing cookie, another flow’s cookie, forged state', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const started = await service.createSignIn(undefined, { loginHint: DEMO_EMAIL });
    const other = await service.createSignIn(undefined, { loginHint: DEMO_EMAIL });
    const { code, state, callback } = await authorize(started.url);
    const otherState = new URL(other.url).searchParams.get('state') as string;
    const missing = await service.handleCallback(new Request(callback), new Response(), { code, state }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PKCECookieMissingError);
    const swapped = await service
      .handleCallback(requestWithCookies({ [started.cookieName]: otherState }, callback.href), new Response(), { code, state })
      .catch((e: unknown) => e);
    expect(swapped).toBeInstanceOf(OAuthStateMismatchError);
    const forged = await service.handleCallback(new Request(callback), new Response(), { code, state: 'forged' }).catch((e: unknown) => e);
    expect(forged).toBeInstanceOf(OAuthStateMismatchError);
    expect((forged as OAuthStateMismatchError).code).toBe('state_invalid');
    // The code was never spent: the right browser still completes.
    const done = await service.handleCallback(
      requestWithCookies({ [started.cookieName]: state as string }, callback.href),
      new Response(),
      {
        code,
        state,
      },
    );
    expect(done.authResponse.user.email).toBe(DEMO_EMAIL);
  });

  it('AuthKitCore.verifyCallbackState compares the URL state with the cookie, then opens it', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const core = await service.getCore();
    const started = await service.createSignIn(undefined, { returnPathname: '/next', state: 'mine' });
    const state = new URL(started.url).searchParams.get('state') as string;
    await expect(core.verifyCallbackState({ stateFromUrl: state, cookieValue: state })).resolves.toMatchObject({
      returnPathname: '/next',
      customState: 'mine',
    });
    await expect(core.verifyCallbackState({ stateFromUrl: state, cookieValue: undefined })).rejects.toBeInstanceOf(PKCECookieMissingError);
    await expect(core.verifyCallbackState({ stateFromUrl: undefined, cookieValue: state })).rejects.toBeInstanceOf(OAuthStateMismatchError);
    await expect(core.verifyCallbackState({ stateFromUrl: state, cookieValue: `${state}x` })).rejects.toBeInstanceOf(
      OAuthStateMismatchError,
    );
  });

  it('clearPendingVerifier deletes the flow cookie named from state; ByName refuses other cookies', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const started = await service.createSignIn(undefined, {});
    const state = new URL(started.url).searchParams.get('state') as string;
    const cleared = await service.clearPendingVerifier(undefined, { state });
    expect(cleared.headers?.['Set-Cookie']).toMatch(new RegExp(`^${started.cookieName}=; Max-Age=0; Path=/; .*HttpOnly`));
    const byName = await service.clearPendingVerifierByName(undefined, { cookieName: started.cookieName });
    expect(byName.headers?.['Set-Cookie']).toBe(cleared.headers?.['Set-Cookie']);
    await expect(service.clearPendingVerifierByName(undefined, { cookieName: 'wos-session' })).rejects.toMatchObject({
      code: 'cookie_invalid',
    });
  });

  it('refuses a custom state that would not fit the flow cookie (PKCEPayloadTooLargeError)', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    await expect(service.createSignIn(undefined, { state: 'x'.repeat(2049) })).rejects.toBeInstanceOf(PKCEPayloadTooLargeError);
    await expect(
      service.createSignIn(undefined, { state: 'x'.repeat(2000), returnPathname: `/${'p'.repeat(1500)}` }),
    ).rejects.toBeInstanceOf(PKCEPayloadTooLargeError);
  });
});
