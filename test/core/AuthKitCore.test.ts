import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkOS } from '@workos-inc/node';
import { decodeJwt } from 'jose';
import { AuthKitCore } from '../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import { ConfigurationProvider } from '../../src/core/config/ConfigurationProvider.js';
import { AuthKitError, TokenRefreshError, TokenValidationError } from '../../src/core/errors.js';
import type { AuthKitEvent } from '../../src/core/events.js';
import { MemoryRefreshResultCache } from '../../src/core/refresh/RefreshResultCache.js';
import type { RefreshedTokens } from '../../src/core/refresh/RefreshCoordinator.js';
import type { Session } from '../../src/core/session/types.js';
import { TestClock } from '../helpers/clock.js';
import { CLIENT_ID, configFor, envFor, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD } from '../helpers/emulator.js';
import { countingFetch } from '../helpers/fetchCounter.js';
import { foreignKeyPair, signToken } from '../helpers/tokens.js';
import { useEmulator } from '../helpers/lifecycle.js';

const ctx = useEmulator();

/** A fresh session straight from the emulator (password sign-in), as the cookie would hold it. */
async function freshSession(): Promise<Session> {
  const r = await ctx.workos.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: CLIENT_ID });
  return { accessToken: r.accessToken, refreshToken: r.refreshToken, user: r.user };
}

function makeCore(extra: Record<string, unknown> = {}, options: ConstructorParameters<typeof AuthKitCore>[3] = {}) {
  const clock = new TestClock();
  const events: AuthKitEvent[] = [];
  const config = configFor(ctx.em.port, ctx.em.apiKey, extra);
  // The same fetch serves the WorkOS client and the JWKS, so counters see both.
  const client = createWorkOSClient(config, options.fetch ? { fetch: options.fetch } : {});
  const core = new AuthKitCore(config, client, undefined, {
    clock: clock.now,
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { core, clock, events };
}

describe('AuthKitCore construction', () => {
  it('accepts a ConfigurationProvider and exposes the resolved, frozen config', () => {
    const provider = new ConfigurationProvider(envFor(ctx.em.port, ctx.em.apiKey));
    const core = new AuthKitCore(provider, createWorkOSClient(provider.getResolvedConfig()));
    expect(core.config).toMatchObject({
      clientId: CLIENT_ID,
      apiBaseUrl: ctx.em.url,
      cookiePasswords: [COOKIE_PASSWORD],
    });
    // Not WorkOS's own host and no issuer configured: `iss` is not checked (issue 12).
    expect(core.config.issuer).toBeUndefined();
    expect(Object.isFrozen(core.config)).toBe(true);
  });

  it('throws config_invalid for an invalid configuration', () => {
    const config = configFor(ctx.em.port, ctx.em.apiKey, { cookiePassword: 'short' });
    expect(() => new AuthKitCore(config, createWorkOSClient(configFor(ctx.em.port, ctx.em.apiKey)))).toThrow(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });
});

describe('token helpers', () => {
  it('verifyToken: true for a fresh emulator token, false when expired, forged or garbage', async () => {
    const { core, clock } = makeCore();
    const { accessToken } = await freshSession();
    expect(await core.verifyToken(accessToken)).toBe(true);
    const { privateKey } = await foreignKeyPair();
    expect(await core.verifyToken(await signToken(privateKey, decodeJwt(accessToken)))).toBe(false);
    expect(await core.verifyToken('garbage')).toBe(false);
    clock.advance(3600 + 10);
    expect(await core.verifyToken(accessToken)).toBe(false);
  });

  it('verifyToken tolerates clockToleranceSeconds of skew', async () => {
    const { core, clock } = makeCore({ clockToleranceSeconds: 30 });
    const { accessToken } = await freshSession();
    clock.advance(3600 + 20);
    expect(await core.verifyToken(accessToken)).toBe(true);
    clock.advance(20);
    expect(await core.verifyToken(accessToken)).toBe(false);
  });

  it('isTokenExpiring uses refreshBufferSeconds (60) by default and an explicit buffer otherwise', async () => {
    const { core, clock } = makeCore();
    const { accessToken } = await freshSession();
    expect(core.isTokenExpiring(accessToken)).toBe(false);
    clock.advance(3600 - 90);
    expect(core.isTokenExpiring(accessToken)).toBe(false);
    expect(core.isTokenExpiring(accessToken, 120)).toBe(true);
    clock.advance(40);
    expect(core.isTokenExpiring(accessToken)).toBe(true);
    expect(core.isTokenExpiring(accessToken, 0)).toBe(false);
  });

  it('isTokenExpiring is false for a token without exp', async () => {
    const { core } = makeCore();
    const { privateKey } = await foreignKeyPair();
    expect(core.isTokenExpiring(await signToken(privateKey, { sub: 'user_1', sid: 'session_1' }))).toBe(false);
  });

  it('parseTokenClaims decodes without verifying; malformed tokens throw TokenValidationError token_invalid', async () => {
    const { core } = makeCore();
    const { accessToken, user } = await freshSession();
    const claims = core.parseTokenClaims<{ extra?: string }>(accessToken);
    expect(claims).toMatchObject({ sub: user.id, sid: expect.stringMatching(/^session_/), aud: CLIENT_ID, iss: ctx.em.url });
    for (const bad of ['garbage', 'a.b.c', '']) {
      expect(() => core.parseTokenClaims(bad)).toThrow(TokenValidationError);
      expect(() => core.parseTokenClaims(bad)).toThrow(expect.objectContaining({ code: 'token_invalid', message: 'Invalid token' }));
      expect(() => core.isTokenExpiring(bad)).toThrow(TokenValidationError);
    }
  });
});

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

describe('authenticate', () => {
  it('answers no_session for null, undefined and empty', async () => {
    const { core } = makeCore();
    for (const value of [null, undefined, '']) {
      expect(await core.authenticate(value)).toEqual({ auth: { user: null, reason: 'no_session', retryable: false } });
    }
  });

  it('authenticates a sealed session and returns the session itself', async () => {
    const { core } = makeCore();
    const session = await freshSession();
    const outcome = await core.authenticate(await core.encryptSession(session));
    expect(outcome.refreshedSessionData).toBeUndefined();
    expect(outcome.session).toEqual(session);
    expect(outcome.auth.user?.email).toBe(DEMO_EMAIL);
  });

  it('a handler that throws never changes the outcome', async () => {
    const config = configFor(ctx.em.port, ctx.em.apiKey);
    const core = new AuthKitCore(config, createWorkOSClient(config), undefined, {
      onEvent: () => {
        throw new Error('observer bug');
      },
    });
    expect((await core.authenticate('garbage')).auth).toMatchObject({ user: null, reason: 'invalid_cookie' });
  });
});
