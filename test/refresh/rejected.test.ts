import { describe, expect, it } from 'vitest';
import { WorkOS } from '@workos-inc/node';
import { TokenRefreshError } from '../../src/core/errors.js';
import { CLIENT_ID } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { openCookie, seal } from '../helpers/session.js';
import { useEmulator } from '../helpers/lifecycle.js';

const ACCESS_TOKEN_SECONDS = 3600;

const ctx = useEmulator();

const withCookie = (value: string) => requestWithCookies({ 'wos-session': value });

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
