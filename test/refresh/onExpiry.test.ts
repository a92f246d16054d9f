import { describe, expect, it } from 'vitest';
import { WorkOS } from '@workos-inc/node';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { countingFetch } from '../helpers/fetchCounter.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { openCookie } from '../helpers/session.js';
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
