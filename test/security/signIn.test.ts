import { describe, expect, it } from 'vitest';
import { AuthKitError } from '../../src/core/errors.js';
import { getPKCECookieNameForState } from '../../src/core/pkce/cookieName.js';
import { OAuthStateMismatchError, PKCECookieMissingError, PKCEPayloadTooLargeError } from '../../src/core/pkce/errors.js';
import { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { COOKIE_PASSWORD, DEMO_EMAIL } from '../helpers/emulator.js';
import { makeService } from '../helpers/service.js';
import { requestWithCookies } from '../helpers/requests.js';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';

const ctx = useEmulatorWithProxy();

/** Follows a hosted sign-in URL on the emulator; returns the callback's code and state. */
async function authorize(url: string) {
  const response = await fetch(url, { redirect: 'manual' });
  const callback = new URL(response.headers.get('location') as string);
  return { code: callback.searchParams.get('code') as string, state: callback.searchParams.get('state') ?? undefined, callback };
}

function codeExchanges() {
  return Object.entries(ctx.proxy.stats.requests)
    .filter(([path]) => path.startsWith('/user_management/authenticate'))
    .reduce((n, [, count]) => n + count, 0);
}

async function rejectsWith(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthKitError);
  expect((error as AuthKitError).code).toBe(code);
}

describe('PKCE and sealed state in the 0.3.4 call shapes', () => {
  it('puts a fresh S256 challenge and a sealed state in every URL', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const a = new URL(await service.getSignInUrl({ state: 'mine' }));
    const b = new URL(await service.getSignUpUrl({ state: 'mine' }));
    expect(a.searchParams.get('code_challenge_method')).toBe('S256');
    expect(a.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.searchParams.get('code_challenge')).not.toBe(b.searchParams.get('code_challenge'));
    expect(a.searchParams.get('state')).toMatch(/^Fe26\.2\*1\*/);
    expect(a.searchParams.get('state')).not.toContain('mine');
  });

  it('returns the custom state and sanitised returnPathname after a real sign-in', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { code, state } = await authorize(
      await service.getSignInUrl({ loginHint: DEMO_EMAIL, returnPathname: '//evil.com/x?y=1#z', state: 'a.b.c' }),
    );
    const result = await service.handleCallback(new Request('http://localhost:3000/callback'), new Response(), { code, state });
    expect(result.state).toBe('a.b.c');
    expect(result.returnPathname).toBe('/x?y=1#z');
    expect(result.response?.headers.getSetCookie()[0]).toMatch(/^wos-session=Fe26/);
  });

  it.each([
    ['missing', () => undefined, 'state_invalid'],
    ['forged', () => 'eyJyZXR1cm5QYXRobmFtZSI6Ii8ifQ', 'state_invalid'],
    [
      'sealed under another password',
      async () => sealData({ nonce: 'n', codeVerifier: 'v'.repeat(43), issuedAt: Date.now() }, { password: 'x'.repeat(40), ttl: 600 }),
      'state_invalid',
    ],
    [
      'well sealed but not a state',
      async () => sealData({ returnPathname: '/' }, { password: COOKIE_PASSWORD, ttl: 600 }),
      'state_invalid',
    ],
  ])('rejects a %s state before spending the code, setting no cookie', async (_name, makeState, code) => {
    const { service } = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url });
    const { code: authCode } = await authorize(await service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    ctx.proxy.reset();
    const response = new Response();
    await rejectsWith(
      service.handleCallback(new Request('http://localhost:3000/callback'), response, { code: authCode, state: await makeState() }),
      code,
    );
    expect(codeExchanges()).toBe(0);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('rejects an expired state (older than 10 minutes) before spending the code', async () => {
    const { service, clock } = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url });
    const { code, state } = await authorize(await service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    ctx.proxy.reset();
    clock.advance(601);
    await rejectsWith(
      service.handleCallback(new Request('http://localhost:3000/callback'), new Response(), { code, state }),
      'state_expired',
    );
    expect(codeExchanges()).toBe(0);
    clock.reset();
    const ok = await service.handleCallback(new Request('http://localhost:3000/callback'), new Response(), { code, state });
    expect(ok.authResponse.user.email).toBe(DEMO_EMAIL);
  });

  it('sends the PKCE verifier: a state from another flow fails the exchange', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const first = await authorize(await service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    const second = await authorize(await service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    await rejectsWith(
      service.handleCallback(new Request(first.callback), new Response(), { code: first.code, state: second.state }),
      'code_exchange_failed',
    );
  });
});

describe('the return-path hint 0.3.4 clients read from an unbound state', () => {
  it('leads the state as base64 JSON, and a hint that disagrees with the sealed state is refused', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { code, state, callback } = await authorize(await service.getSignInUrl({ loginHint: DEMO_EMAIL, returnPathname: '/dashboard' }));
    const [hint, ...rest] = (state as string).split('.');
    expect(JSON.parse(atob(hint as string))).toEqual({ returnPathname: '/dashboard' });
    const forged = `${btoa(JSON.stringify({ returnPathname: '/elsewhere' }))}.${rest.join('.')}`;
    await rejectsWith(service.handleCallback(new Request(callback), new Response(), { code, state: forged }), 'state_invalid');
    const result = await service.handleCallback(new Request(callback), new Response(), { code, state });
    expect(result.returnPathname).toBe('/dashboard');
  });
});

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

describe('safe redirects', () => {
  it.each([
    ['//evil.com', '/'],
    ['/\\evil.com', '/'],
    ['///evil.com/a', '/a'],
    ['https://evil.com/path?q=1#h', '/path?q=1#h'],
    ['javascript:alert(1)', '/alert(1)'],
    ['/ok\r\nSet-Cookie: x', '/'],
    ['/a\u0000b', '/'],
    ['/日本/ページ?q=値', '/%E6%97%A5%E6%9C%AC/%E3%83%9A%E3%83%BC%E3%82%B8?q=%E5%80%A4'],
    ['relative/path', '/relative/path'],
    ['', '/'],
  ])('%j → %j', async (input, expected) => {
    const { sanitizeReturnPathname } = await import('../../src/operations/returnPathname.js');
    const out = sanitizeReturnPathname(input);
    expect(out).toBe(expected);
    expect(new URL(out, 'https://app.example').origin).toBe('https://app.example');
  });
});
