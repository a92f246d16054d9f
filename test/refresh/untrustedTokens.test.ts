import { describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { CLIENT_ID } from '../helpers/emulator.js';
import { countingFetch } from '../helpers/fetchCounter.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { openCookie, seal } from '../helpers/session.js';
import { foreignKeyPair, signToken } from '../helpers/tokens.js';
import { useEmulator } from '../helpers/lifecycle.js';

const ctx = useEmulator();

const withCookie = (value: string) => requestWithCookies({ 'wos-session': value });

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
