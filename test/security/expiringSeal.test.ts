import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { COOKIE_PASSWORD, startEmulator, type TestEmulator } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';

let em: TestEmulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.close();
});

describe('cookie seals that carry an expiry', () => {
  it('are refused as sessions, even with a valid session inside and the right password', async () => {
    const { service } = makeService(em.port, em.apiKey, { issuer: em.url });
    const { cookie } = await signIn(service);
    const session = await (await service.getCore()).decryptSession(cookie);
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user).not.toBeNull();
    // The same session sealed the way other values are (sign-in state, 0.7.1's shared results): with a ttl.
    const expiring = await sealData(session, { password: COOKIE_PASSWORD, ttl: 90 });
    expect(expiring.split('*')[5]).not.toBe('');
    const outcome = await service.withAuth(requestWithCookies({ 'wos-session': expiring }));
    expect(outcome.auth).toEqual({ user: null, reason: 'invalid_cookie', retryable: false });
    expect(outcome.refreshedSessionData).toBeUndefined();
    expect(await service.getSession(requestWithCookies({ 'wos-session': expiring }))).toBeNull();
  });
});
