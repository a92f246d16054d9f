import { describe, expect, it } from 'vitest';
import { WorkOS } from '@workos-inc/node';
import { decodeJwt } from 'jose';
import { AuthKitError, TokenRefreshError } from '../../src/core/errors.js';
import { MemoryRefreshResultCache } from '../../src/core/refresh/RefreshResultCache.js';
import type { RefreshedTokens } from '../../src/core/refresh/RefreshCoordinator.js';
import { CLIENT_ID } from '../helpers/emulator.js';
import { countingFetch } from '../helpers/fetchCounter.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { coreHelpersFor } from '../helpers/core.js';

const ctx = useEmulator();

const { freshSession, makeCore } = coreHelpersFor(ctx);

describe('refreshTokens and validateAndRefresh', () => {
  it('refreshTokens returns the 0.3.4 fields and honours organizationId', async () => {
    const { core } = makeCore();
    const session = await freshSession();
    const result = await core.refreshTokens(session.refreshToken, ctx.em.orgs.Acme);
    expect(Object.keys(result).sort()).toEqual(['accessToken', 'impersonator', 'refreshToken', 'user']);
    expect(result.user.id).toBe(session.user.id);
    expect(decodeJwt(result.accessToken).org_id).toBe(ctx.em.orgs.Acme);
  });

  it('refreshTokens on a spent token throws TokenRefreshError carrying the context', async () => {
    const { core } = makeCore();
    const session = await freshSession();
    await ctx.workos.userManagement.authenticateWithRefreshToken({ refreshToken: session.refreshToken, clientId: CLIENT_ID });
    const error = await core
      .refreshTokens(session.refreshToken, undefined, { userId: session.user.id, sessionId: 'session_x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRefreshError);
    expect(error).toMatchObject({ code: 'refresh_rejected', retryable: false, userId: session.user.id, sessionId: 'session_x' });
  });

  it('validateAndRefresh: a valid token is returned as is', async () => {
    const counter = countingFetch();
    const { core } = makeCore({}, { fetch: counter.fetch });
    const session = await freshSession();
    const result = await core.validateAndRefresh(session);
    expect(result).toMatchObject({ valid: true, refreshed: false, session });
    expect(result.claims.sub).toBe(session.user.id);
  });

  it('validateAndRefresh: an expired token is refreshed', async () => {
    const { core, clock } = makeCore();
    const session = await freshSession();
    clock.advance(3700);
    const result = await core.validateAndRefresh(session);
    expect(result).toMatchObject({ valid: true, refreshed: true });
    expect(result.session.accessToken).not.toBe(session.accessToken);
    expect(result.claims.sid).toBe(decodeJwt(result.session.accessToken).sid);
  });

  it('validateAndRefresh with force refreshes a valid token and keeps its organization', async () => {
    const { core } = makeCore();
    const session = await freshSession();
    const inAcme = await core.validateAndRefresh(session, { force: true, organizationId: ctx.em.orgs.Acme });
    expect(inAcme.claims.org_id).toBe(ctx.em.orgs.Acme);
    expect(inAcme.session.organizationId).toBe(ctx.em.orgs.Acme);
    const again = await core.validateAndRefresh(inAcme.session, { force: true });
    expect(again.refreshed).toBe(true);
    expect(again.claims.org_id).toBe(ctx.em.orgs.Acme);
  });

  it('validateAndRefresh keeps the organization recorded in a @workos-inc/node seal when the token is unreadable', async () => {
    const { core } = makeCore();
    const session = await freshSession();
    const result = await core.validateAndRefresh({ ...session, accessToken: 'not-a-jwt', organizationId: ctx.em.orgs.Globex });
    expect(result.refreshed).toBe(true);
    expect(result.claims.org_id).toBe(ctx.em.orgs.Globex);
  });

  it('validateAndRefresh throws jwks_unavailable (not a refresh) when keys cannot be fetched', async () => {
    const down = countingFetch((r) => (r.path.startsWith('/sso/jwks/') ? new Response('no', { status: 500 }) : undefined));
    const { core } = makeCore({}, { fetch: down.fetch });
    const error = await core.validateAndRefresh(await freshSession()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthKitError);
    expect(error).toMatchObject({ code: 'jwks_unavailable' });
    expect(down.refreshGrants()).toBe(0);
  });

  it('a WorkOS token that does not verify after refresh answers invalid_token', async () => {
    const counter = countingFetch();
    const { core } = makeCore({ issuer: 'https://not-the-emulator.example' }, { fetch: counter.fetch });
    const session = await freshSession();
    const sealed = await core.encryptSession(session);
    expect(await core.authenticate(sealed)).toEqual({ auth: { user: null, reason: 'invalid_token', retryable: false } });
    expect(counter.refreshGrants()).toBe(1);
  });

  it('uses the refreshCache option to share refresh outcomes', async () => {
    const cache = new MemoryRefreshResultCache<RefreshedTokens>();
    const counter = countingFetch();
    const a = makeCore({}, { refreshCache: cache, fetch: counter.fetch });
    const b = makeCore({}, { refreshCache: cache, fetch: counter.fetch });
    const session = await freshSession();
    a.clock.advance(3700);
    b.clock.advance(3700);
    const first = await a.core.validateAndRefresh(session);
    const second = await b.core.validateAndRefresh(session);
    expect(second.session.accessToken).toBe(first.session.accessToken);
    expect(counter.refreshGrants()).toBe(1);
    expect(cache.size).toBe(1);
    expect(b.events).toContainEqual(expect.objectContaining({ type: 'refresh.reused' }));
  });
});
