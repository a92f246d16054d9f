import { describe, expect, it } from 'vitest';
import { setCookieFor, setCookieLines } from '../../helpers/cookies.js';
import { COOKIE_PASSWORD } from '../../helpers/emulator.js';
import { useEmulator } from '../../helpers/lifecycle.js';
import { requestWithCookies } from '../../helpers/requests.js';
import { makeService, signIn } from '../../helpers/service.js';
import { serverServiceFor } from '../../helpers/serverMode.js';

const ctx = useEmulator();

const request = (cookie: string) => requestWithCookies({ 'wos-session': cookie });

/** A server-mode service on a counted in-memory store. */
const serverService = serverServiceFor(ctx);

describe("sessionMode: 'server'", () => {
  it('keeps app data beside the session in the store, across instances and refreshes; the cookie stays small', async () => {
    const { service, store, clock } = serverService();
    const { cookie } = await signIn(service);
    const auth = await service.withAuth(request(cookie));
    const big = 'x'.repeat(10_000);
    const updated = await service.updateSessionData(new Response(), auth.session!, { cart: [1, 2], note: big });
    expect(setCookieLines(updated.response)).toHaveLength(0);
    expect(updated.data).toEqual({ cart: [1, 2], note: big });
    const elsewhere = serverService({}, store);
    expect((await elsewhere.service.withAuth(request(cookie))).data).toEqual({ cart: [1, 2], note: big });
    clock.advance(3600 + 60);
    elsewhere.clock.advance(3600 + 60);
    const refreshed = await service.withAuth(request(cookie));
    expect(refreshed.session?.refreshToken).not.toBe(auth.session?.refreshToken);
    expect(refreshed.data).toEqual({ cart: [1, 2], note: big });
    const removed = await service.updateSessionData(undefined, refreshed.session!, { note: undefined });
    expect(removed.data).toEqual({ cart: [1, 2] });
    expect((await service.withAuth(request(cookie))).data).toEqual({ cart: [1, 2] });
  });

  it('cookie mode keeps data sealed in the cookie, across refreshes, with a clear error past the budget', async () => {
    const { service, clock } = makeService(ctx.em.port, ctx.em.apiKey, { cookieMaxParts: 1 });
    const { cookie } = await signIn(service);
    const auth = await service.withAuth(request(cookie));
    const saved = await service.updateSessionData(new Response(), auth.session!, { theme: 'dark' });
    const next = setCookieFor(saved.response).split(';')[0]!.slice('wos-session='.length);
    clock.advance(3600 + 60);
    const refreshed = await service.withAuth(request(decodeURIComponent(next)));
    expect(refreshed.refreshedSessionData).toBeDefined();
    expect(refreshed.data).toEqual({ theme: 'dark' });
    await expect(service.updateSessionData(new Response(), refreshed.session!, { blob: 'y'.repeat(6_000) })).rejects.toMatchObject({
      code: 'session_too_large',
    });
    await expect(service.updateSessionData(new Response(), refreshed.session!, { blob: 'y'.repeat(20_000) })).rejects.toMatchObject({
      code: 'session_data_too_large',
    });
    expect(COOKIE_PASSWORD.length).toBeGreaterThanOrEqual(32);
  });
});
