import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkOS } from '@workos-inc/node';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { TokenRefreshError } from '../../src/core/errors.js';
import { CLIENT_ID, DEMO_EMAIL } from '../helpers/emulator.js';
import { countingFetch } from '../helpers/fetchCounter.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { openCookie, seal } from '../helpers/session.js';
import { foreignKeyPair, signToken } from '../helpers/tokens.js';
import { useEmulator } from '../helpers/lifecycle.js';

const ACCESS_TOKEN_SECONDS = 3600;

const ctx = useEmulator();

const withCookie = (value: string) => requestWithCookies({ 'wos-session': value });

describe('refresh on expiry', () => {
  it('refreshes an expired access token and hands back a cookie that authenticates', async () => {
    const counter = countingFetch();
    const { service, clock } = makeService(ctx.em.port, ctx.em.apiKey, {}, { fetch: counter.fetch });
    const { cookie } = await signIn(service);
    const old = await openCookie(service, cookie);
    clock.advance(ACCESS_TOKEN_SECONDS + 60);
    const { auth, refreshedSessionData } = await service.withAuth(withCookie(cookie));
    if (!auth.user) throw new Error(`not refreshed: ${auth.reason}`);
    expect(auth.user.email).toBe(DEMO_EMAIL);
    expect(auth.accessToken).not.toBe(old.accessToken);
    expect(auth.refreshToken).not.toBe(old.refreshToken);
    expect(counter.refreshGrants()).toBe(1);
    const next = await openCookie(service, refreshedSessionData as string);
    expect(next.accessToken).toBe(auth.accessToken);
    // The new cookie is good without another refresh (the emulator issued it for real time: rewind).
    clock.reset();
    const again = await service.withAuth(withCookie(refreshedSessionData as string));
    expect(again.auth.user?.email).toBe(DEMO_EMAIL);
    expect(again.refreshedSessionData).toBeUndefined();
    expect(counter.refreshGrants()).toBe(1);
  });

  it('does not refresh a token far from expiry', async () => {
    const counter = countingFetch();
    const { service, clock } = makeService(ctx.em.port, ctx.em.apiKey, {}, { fetch: counter.fetch });
    const { cookie } = await signIn(service);
    clock.advance(ACCESS_TOKEN_SECONDS - 300);
    const { auth, refreshedSessionData } = await service.withAuth(withCookie(cookie));
    expect(auth.user?.email).toBe(DEMO_EMAIL);
    expect(refreshedSessionData).toBeUndefined();
    expect(counter.refreshGrants()).toBe(0);
  });

  it('refreshes proactively within refreshBufferSeconds of expiry', async () => {
    const { service, clock, events } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    clock.advance(ACCESS_TOKEN_SECONDS - 30);
    const { auth, refreshedSessionData } = await service.withAuth(withCookie(cookie));
    expect(auth.user?.email).toBe(DEMO_EMAIL);
    expect(refreshedSessionData).toBeTypeOf('string');
    expect(events).toContainEqual(expect.objectContaining({ type: 'refresh.succeeded', proactive: true }));
  });

  it('keeps the organization when an expired token is refreshed', async () => {
    const { service, clock } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const switched = await service.switchOrganization(await openCookie(service, cookie), ctx.em.orgs.Acme as string);
    expect(switched.auth.user && switched.auth.organizationId).toBe(ctx.em.orgs.Acme);
    clock.advance(ACCESS_TOKEN_SECONDS + 60);
    const { auth, refreshedSessionData } = await service.withAuth(withCookie(switched.encryptedSession));
    if (!auth.user) throw new Error(`not refreshed: ${auth.reason}`);
    expect(refreshedSessionData).toBeTypeOf('string');
    expect(auth.organizationId).toBe(ctx.em.orgs.Acme);
    expect(auth.claims.org_id).toBe(ctx.em.orgs.Acme);
    expect(auth.role).toBe('admin');
    expect(auth.permissions).toEqual(['posts:read', 'posts:write']);
  });

  it('coalesces concurrent refreshes of one cookie into one WorkOS call', async () => {
    const counter = countingFetch();
    const { service, clock } = makeService(ctx.em.port, ctx.em.apiKey, {}, { fetch: counter.fetch });
    const { cookie } = await signIn(service);
    clock.advance(ACCESS_TOKEN_SECONDS + 60);
    const results = await Promise.all(Array.from({ length: 5 }, () => service.withAuth(withCookie(cookie))));
    const tokens = new Set(results.map((r) => (r.auth.user ? r.auth.accessToken : r.auth.reason)));
    expect(tokens.size).toBe(1);
    expect(results.every((r) => r.auth.user?.email === DEMO_EMAIL && typeof r.refreshedSessionData === 'string')).toBe(true);
    expect(counter.refreshGrants()).toBe(1);
    // A request arriving a little later with the old cookie gets the same tokens (grace window), no new call.
    clock.advance(5);
    const late = await service.withAuth(withCookie(cookie));
    expect(late.auth.user ? late.auth.accessToken : undefined).toBe([...tokens][0]);
    expect(counter.refreshGrants()).toBe(1);
  });
});

describe('tokens this server must not trust', () => {
  it('a token signed by a foreign RS256 key triggers a refresh and the forged claims are dropped', async () => {
    const counter = countingFetch();
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, {}, { fetch: counter.fetch });
    const { cookie } = await signIn(service);
    const real = await openCookie(service, cookie);
    const realClaims = decodeJwt(real.accessToken);
    const { kid } = decodeProtectedHeader(real.accessToken);
    const { privateKey } = await foreignKeyPair();
    const now = Math.floor(Date.now() / 1000);
    for (const header of [{ kid: kid as string }, { kid: 'attacker-key' }, {}]) {
      const forged = await signToken(
        privateKey,
        { ...realClaims, role: 'superadmin', permissions: ['everything'], iat: now, exp: now + 3600 },
        header,
      );
      const sealed = await seal({ ...real, accessToken: forged });
      const before = counter.refreshGrants();
      const { auth, refreshedSessionData } = await service.withAuth(withCookie(sealed));
      if (!auth.user) throw new Error(`not refreshed: ${auth.reason}`);
      expect(auth.accessToken).not.toBe(forged);
      expect(auth.role).toBeUndefined();
      expect(auth.permissions).toBeUndefined();
      expect(auth.claims.sub).toBe(real.user.id);
      expect(counter.refreshGrants()).toBe(before + 1);
      expect((await openCookie(service, refreshedSessionData as string)).accessToken).toBe(auth.accessToken);
      // The refresh token was rotated: carry on with the new one.
      real.refreshToken = auth.refreshToken;
    }
  });

  it('an HS256 token and an unsigned token trigger a refresh too', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const real = await openCookie(service, cookie);
    const claims = decodeJwt(real.accessToken);
    const hs256 = await signToken(new TextEncoder().encode('x'.repeat(32)), claims, { alg: 'HS256' });
    const none = `${btoa(JSON.stringify({ alg: 'none', typ: 'JWT' })).replace(/=+$/, '')}.${btoa(JSON.stringify(claims)).replace(/=+$/, '')}.`;
    for (const forged of [hs256, none]) {
      const { auth, refreshedSessionData } = await service.withAuth(withCookie(await seal({ ...real, accessToken: forged })));
      if (!auth.user) throw new Error(`not refreshed: ${auth.reason}`);
      expect(auth.accessToken).not.toBe(forged);
      expect(refreshedSessionData).toBeTypeOf('string');
      real.refreshToken = auth.refreshToken;
    }
  });

  it('a real token for another client (wrong audience) is not accepted as is', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const real = await openCookie(service, cookie);
    const { privateKey } = await foreignKeyPair();
    const forged = await signToken(privateKey, { ...decodeJwt(real.accessToken), aud: 'client_someone_else' });
    const { auth } = await service.withAuth(withCookie(await seal({ ...real, accessToken: forged })));
    if (!auth.user) throw new Error(`not refreshed: ${auth.reason}`);
    expect(auth.claims.aud).toBe(CLIENT_ID);
  });
});

describe('refresh tokens WorkOS refuses', () => {
  it('a spent refresh token answers refresh_rejected without throwing', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const session = await openCookie(service, cookie);
    // Someone else (another instance, long ago) already exchanged it.
    await ctx.workos.userManagement.authenticateWithRefreshToken({ refreshToken: session.refreshToken, clientId: CLIENT_ID });
    // A new service: nothing cached from that exchange.
    const fresh = makeService(ctx.em.port, ctx.em.apiKey);
    fresh.clock.advance(ACCESS_TOKEN_SECONDS + 60);
    const result = await fresh.service.withAuth(withCookie(cookie));
    expect(result).toEqual({ auth: { user: null, reason: 'refresh_rejected', retryable: false } });
    expect(fresh.events).toContainEqual(expect.objectContaining({ type: 'refresh.terminal', status: 400 }));
  });

  it('an unknown refresh token answers refresh_rejected without throwing', async () => {
    const { service, clock } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const session = await openCookie(service, cookie);
    clock.advance(ACCESS_TOKEN_SECONDS + 60);
    const sealed = await seal({ ...session, refreshToken: 'ref_never_issued' });
    expect(await service.withAuth(withCookie(sealed))).toEqual({ auth: { user: null, reason: 'refresh_rejected', retryable: false } });
  });

  it('refreshSession with a spent token rejects with TokenRefreshError refresh_rejected', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const session = await openCookie(service, cookie);
    await ctx.workos.userManagement.authenticateWithRefreshToken({ refreshToken: session.refreshToken, clientId: CLIENT_ID });
    const fresh = makeService(ctx.em.port, ctx.em.apiKey);
    const error = await fresh.service.refreshSession(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRefreshError);
    expect(error).toMatchObject({ code: 'refresh_rejected', retryable: false, userId: session.user.id });
    expect((error as Error).message).not.toContain(session.refreshToken);
  });
});

describe('outages never spend or drop the session', () => {
  it('a transient failure of a proactive refresh keeps the still-valid token', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const failing = countingFetch((request) =>
      request.grantType === 'refresh_token' ? new Response(JSON.stringify({ message: 'busy' }), { status: 503 }) : undefined,
    );
    const outage = makeService(ctx.em.port, ctx.em.apiKey, {}, { fetch: failing.fetch, maxRetryWaitMs: 0 });
    outage.clock.advance(ACCESS_TOKEN_SECONDS - 30);
    const { auth, refreshedSessionData } = await outage.service.withAuth(withCookie(cookie));
    expect(auth.user?.email).toBe(DEMO_EMAIL);
    expect(auth.user ? auth.accessToken : undefined).toBe((await openCookie(service, cookie)).accessToken);
    expect(refreshedSessionData).toBeUndefined();
    expect(failing.refreshGrants()).toBe(1);
    expect(outage.events).toContainEqual(expect.objectContaining({ type: 'refresh.transient', status: 503 }));
  });

  it('a JWKS outage answers jwks_unavailable (retryable) and does not spend the refresh token', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const down = countingFetch((request) => (request.path.startsWith('/sso/jwks/') ? new Response('down', { status: 503 }) : undefined));
    const outage = makeService(ctx.em.port, ctx.em.apiKey, {}, { fetch: down.fetch });
    expect(await outage.service.withAuth(withCookie(cookie))).toEqual({
      auth: { user: null, reason: 'jwks_unavailable', retryable: true },
    });
    expect(down.refreshGrants()).toBe(0);
    expect(down.jwksRequests()).toBeGreaterThan(0);
    // The cookie is intact: once keys are reachable it authenticates without a refresh.
    const after = await service.withAuth(withCookie(cookie));
    expect(after.auth.user?.email).toBe(DEMO_EMAIL);
    expect(after.refreshedSessionData).toBeUndefined();
  });

  it('a WorkOS 5xx during refresh answers refresh_unavailable (retryable), and the token still works later', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const failing = countingFetch((request) =>
      request.grantType === 'refresh_token' ? new Response(JSON.stringify({ message: 'boom' }), { status: 503 }) : undefined,
    );
    const outage = makeService(ctx.em.port, ctx.em.apiKey, {}, { fetch: failing.fetch, maxRetryWaitMs: 0 });
    outage.clock.advance(ACCESS_TOKEN_SECONDS + 60);
    expect(await outage.service.withAuth(withCookie(cookie))).toEqual({
      auth: { user: null, reason: 'refresh_unavailable', retryable: true },
    });
    // Nothing was cached as a failure, and WorkOS never saw the token: a healthy service refreshes it.
    const healthy = makeService(ctx.em.port, ctx.em.apiKey);
    healthy.clock.advance(ACCESS_TOKEN_SECONDS + 60);
    expect((await healthy.service.withAuth(withCookie(cookie))).auth.user?.email).toBe(DEMO_EMAIL);
  });
});
