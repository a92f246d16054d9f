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
