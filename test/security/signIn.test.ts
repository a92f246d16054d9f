import { describe, expect, it } from 'vitest';
import { AuthKitError } from '../../src/core/errors.js';
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

describe('browser-bound sign-in (per-flow cookie)', () => {
  it('completes only with the cookie written when the flow started, and clears it', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const started = await service.createSignIn(new Response(), { loginHint: DEMO_EMAIL, state: 'bound' });
    const setCookie = started.response?.headers.get('set-cookie') as string;
    expect(setCookie).toMatch(new RegExp(`^${started.cookieName}=[A-Za-z0-9_-]+; Max-Age=600; Path=/; HttpOnly; SameSite=Lax`));
    const nonce = setCookie.split(';')[0]?.split('=')[1] as string;
    const { code, state, callback } = await authorize(started.url);

    await rejectsWith(service.handleCallback(new Request(callback), new Response(), { code, state }), 'state_mismatch');
    await rejectsWith(
      service.handleCallback(requestWithCookies({ [started.cookieName]: 'someone-else' }, callback.href), new Response(), { code, state }),
      'state_mismatch',
    );
    const result = await service.handleCallback(requestWithCookies({ [started.cookieName]: nonce }, callback.href), new Response(), {
      code,
      state,
    });
    expect(result.state).toBe('bound');
    const cookies = result.response?.headers.getSetCookie() ?? [];
    expect(cookies[0]).toMatch(/^wos-session=Fe26/);
    expect(cookies.filter((c) => c.startsWith(`${started.cookieName}=; Max-Age=0`))).toHaveLength(1);
    expect(cookies.filter((c) => /^wos-session\.\d=; Max-Age=0/.test(c))).toHaveLength(7);
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
