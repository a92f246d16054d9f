import { describe, expect, it } from 'vitest';
import { withAuthHandler } from '../../src/adapters/fetch.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { makeService, signIn } from '../helpers/service.js';
import { requestWithCookies } from '../helpers/requests.js';

const ctx = useEmulator();

describe('withAuthHandler', () => {
  it('gives the handler the current session: the refreshed one after a refresh', async () => {
    const { service, clock } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const seen: { token?: string; refreshed?: boolean; authToken?: string }[] = [];
    const handler = withAuthHandler(service, (_request, auth, { session, refreshedSessionData }) => {
      seen.push({
        token: session?.accessToken,
        refreshed: refreshedSessionData !== undefined,
        authToken: auth.user ? auth.accessToken : undefined,
      });
      return new Response(auth.user?.email ?? 'out');
    });
    expect(await (await handler(requestWithCookies({ 'wos-session': cookie }))).text()).toBe(DEMO_EMAIL);
    clock.advance(3660);
    const refreshed = await handler(requestWithCookies({ 'wos-session': cookie }));
    expect(refreshed.headers.getSetCookie()[0]).toMatch(/^wos-session=Fe26/);
    expect(seen[0]?.token).toBe(seen[0]?.authToken);
    expect(seen[0]?.token).toBeTypeOf('string');
    expect(seen[0]?.refreshed).toBe(false);
    expect(seen[1]?.refreshed).toBe(true);
    expect(seen[1]?.token).toBe(seen[1]?.authToken);
    expect(seen[1]?.token).not.toBe(seen[0]?.token);
  });

  it('gives no session to anonymous requests', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const handler = withAuthHandler(service, (_request, auth, context) =>
      Response.json({ reason: auth.user ? null : auth.reason, context }),
    );
    expect(await (await handler(requestWithCookies({}))).json()).toEqual({ reason: 'no_session', context: {} });
  });
});
