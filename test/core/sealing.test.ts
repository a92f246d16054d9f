import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthKitCore } from '../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import { sealData, sessionEncryption, unsealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { SessionEncryptionError } from '../../src/core/errors.js';
import type { Session, SessionEncryption } from '../../src/core/session/types.js';
import { CLIENT_ID, configFor, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { openCookie } from '../helpers/session.js';
import { useEmulator } from '../helpers/lifecycle.js';

const SEAL = /^Fe26\.2\*1\*[0-9a-f]{64}\*[A-Za-z0-9_-]{22}\*[A-Za-z0-9_-]+\*(\d*)\*[0-9a-f]{64}\*[A-Za-z0-9_-]{43}~2$/;

const ctx = useEmulator();

describe('seal format', () => {
  it('is Fe26.2*1*… with 8 *-parts, an empty expiry and the ~2 suffix', async () => {
    const sealed = await sessionEncryption.sealData({ a: 1 }, { password: COOKIE_PASSWORD });
    expect(sealed).toMatch(SEAL);
    expect(sealed.slice(0, -2).split('*')).toHaveLength(8);
    expect(sealed.slice(0, -2).split('*')[5]).toBe('');
  });

  it('writes an expiry timestamp only when a ttl is given', async () => {
    const before = Date.now();
    const sealed = await sealData({ a: 1 }, { password: COOKIE_PASSWORD, ttl: 60 });
    const expiry = Number(SEAL.exec(sealed)?.[1]);
    expect(expiry).toBeGreaterThanOrEqual(before + 60_000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('uses fresh salts and IV for every seal', async () => {
    const a = await sealData({ a: 1 }, { password: COOKIE_PASSWORD });
    const b = await sealData({ a: 1 }, { password: COOKIE_PASSWORD });
    expect(a).not.toBe(b);
  });

  it('round-trips any JSON value', async () => {
    const value = { text: 'héllo 日本', n: 1.5, list: [1, null, { deep: true }], empty: '' };
    const sealed = await sessionEncryption.sealData(value, { password: COOKIE_PASSWORD, ttl: 0 });
    expect(await sessionEncryption.unsealData(sealed, { password: COOKIE_PASSWORD })).toEqual(value);
  });

  it('refuses to open under another password', async () => {
    const sealed = await sealData({ a: 1 }, { password: COOKIE_PASSWORD });
    await expect(unsealData(sealed, { password: 'x'.repeat(32) })).rejects.toThrow('Bad hmac value');
  });

  it('throws the last password’s error when none opens the seal, and `No password` for an empty list', async () => {
    const sealed = await sealData({ a: 1 }, { password: COOKIE_PASSWORD });
    await expect(unsealData(sealed, { password: ['x'.repeat(32), 'y'.repeat(32)] })).rejects.toThrow('Bad hmac value');
    await expect(unsealData(sealed, { password: [] })).rejects.toThrow('No password');
  });

  it('refuses a password under 32 characters', async () => {
    await expect(sealData({ a: 1 }, { password: 'short' })).rejects.toThrow();
  });

  it('seals with the first of several passwords and opens with any', async () => {
    const current = 'c'.repeat(32);
    const sealed = await sealData({ a: 1 }, { password: [current, COOKIE_PASSWORD] });
    expect(await unsealData(sealed, { password: current })).toEqual({ a: 1 });
    const old = await sealData({ b: 2 }, { password: COOKIE_PASSWORD });
    expect(await unsealData(old, { password: [current, COOKIE_PASSWORD] })).toEqual({ b: 2 });
  });

  it('reads the iron-session v1 layout (other version suffix) and unsuffixed seals', async () => {
    const sealed = await sealData({ persistent: { accessToken: 'a' }, other: 1 }, { password: COOKIE_PASSWORD });
    const body = sealed.slice(0, -2);
    expect(await unsealData(`${body}~1`, { password: COOKIE_PASSWORD })).toEqual({ accessToken: 'a' });
    expect(await unsealData(body, { password: COOKIE_PASSWORD })).toEqual({ persistent: { accessToken: 'a' }, other: 1 });
  });
});

describe('AuthKitCore sealing', () => {
  const session = { accessToken: 'at', refreshToken: 'rt', user: { id: 'user_1' } } as unknown as Session;

  it('encryptSession/decryptSession round-trip a session', async () => {
    const core = new AuthKitCore(configFor(ctx.em.port, ctx.em.apiKey), createWorkOSClient(configFor(ctx.em.port, ctx.em.apiKey)));
    const sealed = await core.encryptSession(session);
    expect(sealed).toMatch(SEAL);
    expect(await core.decryptSession(sealed)).toEqual(session);
  });

  it('uses a custom SessionEncryption for both directions', async () => {
    const calls: string[] = [];
    const custom: SessionEncryption = {
      sealData: async (data, options) => {
        calls.push('seal');
        return sessionEncryption.sealData(data, options);
      },
      unsealData: async <T>(sealed: string, options: { password: string }) => {
        calls.push('unseal');
        return sessionEncryption.unsealData<T>(sealed, options);
      },
    };
    const config = configFor(ctx.em.port, ctx.em.apiKey);
    const core = new AuthKitCore(config, createWorkOSClient(config), custom);
    expect(await core.decryptSession(await core.encryptSession(session))).toEqual(session);
    expect(calls).toEqual(['seal', 'unseal']);
  });

  it('tries every password with a custom SessionEncryption', async () => {
    const current = 'c'.repeat(40);
    const config = configFor(ctx.em.port, ctx.em.apiKey, { cookiePassword: [current, COOKIE_PASSWORD] });
    const custom: SessionEncryption = { sealData: sessionEncryption.sealData, unsealData: sessionEncryption.unsealData };
    const core = new AuthKitCore(config, createWorkOSClient(config), custom);
    const old = await sealData(session, { password: COOKIE_PASSWORD });
    expect(await core.decryptSession(old)).toEqual(session);
    await expect(core.decryptSession(await sealData(session, { password: 'z'.repeat(32) }))).rejects.toMatchObject({
      code: 'session_decryption_failed',
    });
  });

  it('maps a sealing failure to SessionEncryptionError session_encryption_failed', async () => {
    const failing: SessionEncryption = {
      sealData: async () => {
        throw new Error('disk on fire');
      },
      unsealData: sessionEncryption.unsealData,
    };
    const config = configFor(ctx.em.port, ctx.em.apiKey);
    const core = new AuthKitCore(config, createWorkOSClient(config), failing);
    const error = await core.encryptSession(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionEncryptionError);
    expect(error).toMatchObject({ code: 'session_encryption_failed', message: 'Failed to encrypt session' });
    expect(((error as Error).cause as Error).message).toBe('disk on fire');
  });
});

describe('interop with @workos-inc/node', () => {
  it('@workos-inc/node reads a session sealed here', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    if (!auth.user) throw new Error(`not authenticated: ${auth.reason}`);

    const fromCookie = await ctx.workos.userManagement.getSessionFromCookie({ sessionData: cookie, cookiePassword: COOKIE_PASSWORD });
    expect(fromCookie).toMatchObject({ accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: { id: auth.user.id } });

    const loaded = await ctx.workos.userManagement
      .loadSealedSession({ sessionData: cookie, cookiePassword: COOKIE_PASSWORD })
      .authenticate();
    expect(loaded).toMatchObject({ authenticated: true, sessionId: auth.sessionId, user: { email: DEMO_EMAIL } });
  });

  it('@workos-inc/node reads a session sealed by AuthKitCore.encryptSession and refreshes it', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const core = await service.getCore();
    const resealed = await core.encryptSession(await openCookie(service, cookie));
    const refreshed = await ctx.workos.userManagement
      .loadSealedSession({ sessionData: resealed, cookiePassword: COOKIE_PASSWORD })
      .refresh();
    expect(refreshed).toMatchObject({ authenticated: true, user: { email: DEMO_EMAIL } });
  });

  it('reads and refreshes a session sealed by @workos-inc/node', async () => {
    const response = await ctx.workos.userManagement.authenticateWithPassword({
      email: DEMO_EMAIL,
      password: PASSWORD,
      clientId: CLIENT_ID,
      session: { sealSession: true, cookiePassword: COOKIE_PASSWORD },
    });
    const sealed = response.sealedSession as string;
    expect(sealed).toMatch(SEAL);

    const { service, clock } = makeService(ctx.em.port, ctx.em.apiKey);
    const first = await service.withAuth(requestWithCookies({ 'wos-session': sealed }));
    expect(first.refreshedSessionData).toBeUndefined();
    if (!first.auth.user) throw new Error(`not authenticated: ${first.auth.reason}`);
    expect(first.auth.user.email).toBe(DEMO_EMAIL);
    expect(first.auth.accessToken).toBe(response.accessToken);

    clock.advance(3600 + 120);
    const second = await service.withAuth(requestWithCookies({ 'wos-session': sealed }));
    if (!second.auth.user) throw new Error(`not refreshed: ${second.auth.reason}`);
    expect(second.auth.user.id).toBe(response.user.id);
    expect(second.auth.accessToken).not.toBe(response.accessToken);
    expect(second.refreshedSessionData).toMatch(SEAL);

    // The refreshed cookie is readable by @workos-inc/node again, and keeps its authentication method.
    const back = (await ctx.workos.userManagement.getSessionFromCookie({
      sessionData: second.refreshedSessionData as string,
      cookiePassword: COOKIE_PASSWORD,
    })) as Session & { authenticationMethod?: string };
    expect(back.accessToken).toBe(second.auth.accessToken);
    expect(back.refreshToken).toBe(second.auth.refreshToken);
    expect(back.authenticationMethod).toBe(response.authenticationMethod);
  });
});
