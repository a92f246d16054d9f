import { describe, expect, it } from 'vitest';
import { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { COOKIE_PASSWORD, DEMO_EMAIL } from '../helpers/emulator.js';
import { makeService } from '../helpers/service.js';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';
import { authorize, rejectsWith } from '../helpers/signInFlow.js';

const ctx = useEmulatorWithProxy();

function codeExchanges() {
  return Object.entries(ctx.proxy.stats.requests)
    .filter(([path]) => path.startsWith('/user_management/authenticate'))
    .reduce((n, [, count]) => n + count, 0);
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
