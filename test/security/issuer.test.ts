import { describe, expect, it } from 'vitest';
import { AuthKitCore } from '../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import { resolveConfig } from '../../src/core/config/resolve.js';
import { CLIENT_ID, configFor, COOKIE_PASSWORD, REDIRECT_URI } from '../helpers/emulator.js';
import { makeKeySet } from '../helpers/keys.js';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';

const ctx = useEmulatorWithProxy();

/** A configuration for WorkOS's own host, written as `hostname` / `port`. */
function workosHost(apiHostname: string, extra: Record<string, unknown> = {}) {
  return { clientId: CLIENT_ID, apiKey: 'sk_test', redirectUri: REDIRECT_URI, cookiePassword: COOKIE_PASSWORD, apiHostname, ...extra };
}

describe('expected issuer', () => {
  it.each([
    ['the default host', {}],
    ['an upper-case host', { apiHostname: 'API.WorkOS.COM' }],
    ['a trailing dot', { apiHostname: 'api.workos.com.' }],
    ['the explicit default port', { apiPort: 443 }],
    ['all of them', { apiHostname: 'Api.Workos.Com.', apiPort: 443, apiHttps: true }],
  ])('pins https://api.workos.com on %s', (_name, extra) => {
    expect(resolveConfig(workosHost('api.workos.com', extra)).issuer).toBe('https://api.workos.com');
  });

  it.each([
    ['a proxy', 'localhost'],
    ['an IP address', '127.0.0.1'],
    ['a custom domain', 'auth.example.com'],
    ['a look-alike', 'api.workos.com.evil.example'],
  ])('does not check iss on %s unless issuer is configured', (_name, host) => {
    expect(resolveConfig(workosHost(host)).issuer).toBeUndefined();
    expect(resolveConfig(workosHost(host, { issuer: 'https://auth.example.com' })).issuer).toBe('https://auth.example.com');
  });

  it('does not pin on WorkOS host names reached on another port or over plain http', () => {
    expect(resolveConfig(workosHost('api.workos.com', { apiPort: 8443 })).issuer).toBeUndefined();
    expect(resolveConfig(workosHost('api.workos.com', { apiHttps: false })).issuer).toBeUndefined();
  });
});

describe('default issuer on WorkOS host spellings (real RS256 tokens, JWKS served to the core)', () => {
  it.each([
    ['API.WorkOS.com', {}],
    ['api.workos.com.', {}],
    ['api.workos.com', { apiPort: 443 }],
  ])('%s %j: accepts WorkOS tokens and still rejects a foreign iss', async (host, extra) => {
    const keys = await makeKeySet();
    const config = workosHost(host, extra);
    const core = new AuthKitCore(config, createWorkOSClient(config), undefined, { fetch: keys.fetchWithJwks });
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'user_1', sid: 'session_1', aud: CLIENT_ID, iat: now, exp: now + 300 };
    expect(await core.verifyToken(await keys.sign({ ...claims, iss: 'https://api.workos.com' }))).toBe(true);
    expect(await core.verifyToken(await keys.sign({ ...claims, iss: `https://api.workos.com/user_management/${CLIENT_ID}` }))).toBe(true);
    expect(await core.verifyToken(await keys.sign({ ...claims, iss: 'http://localhost:1234' }))).toBe(false);
  });
});

describe('default configuration in front of WorkOS (tokens carry another iss)', () => {
  it('through a proxy on another port: valid tokens authenticate and refresh', async () => {
    // No `issuer` configured: the emulator's tokens say `iss: http://localhost:<emulator port>`.
    const { service, clock } = makeService(ctx.proxy.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const first = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(first.auth).toMatchObject({ user: { email: 'demo@example.com' } });
    clock.advance(3600 + 60);
    const refreshed = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(refreshed.auth).toMatchObject({ user: { email: 'demo@example.com' } });
    expect(refreshed.refreshedSessionData).toEqual(expect.any(String));
    expect(ctx.proxy.stats.refreshAccepted).toBe(1);
  });

  it('on an IP address host: valid tokens authenticate', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, { apiHostname: '127.0.0.1' });
    const { cookie } = await signIn(service);
    const result = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(result.auth).toMatchObject({ user: { email: 'demo@example.com' } });
  });

  it('a configured issuer is still enforced on a custom host', async () => {
    const { service } = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: 'https://auth.example.com' });
    const { cookie } = await signIn(service);
    const result = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(result.auth).toMatchObject({ user: null, reason: 'invalid_token' });
  });

  it('the resolved config of a proxy host checks no issuer', () => {
    expect(resolveConfig(configFor(ctx.proxy.port, ctx.em.apiKey)).issuer).toBeUndefined();
  });
});
