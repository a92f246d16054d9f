import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FetchSessionStorage } from '../../../src/adapters/fetch.js';
import { ConfigurationProvider } from '../../../src/core/config/ConfigurationProvider.js';
import { sessionEncryption } from '../../../src/core/encryption/ironWebcryptoEncryption.js';
import { CLIENT_ID, COOKIE_PASSWORD, DEMO_EMAIL, REDIRECT_URI, startEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { requestWithCookies } from '../../helpers/requests.js';
import { makeService, signIn } from '../../helpers/service.js';
import { PASSWORD, REQUIRED_ENV, asFunction, freshLibrary, problemsOf } from '../../helpers/config.js';

const NEW_PASSWORD = 'n'.repeat(48);

let em: TestEmulator;

beforeAll(async () => {
  em = await startEmulator();
});

afterAll(async () => {
  await em.close();
});

describe('WORKOS_COOKIE_PASSWORD_PREVIOUS', () => {
  it('makes a list [current, ...previous]', () => {
    const old1 = 'o'.repeat(32);
    const old2 = 'q'.repeat(33);
    const provider = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_COOKIE_PASSWORD_PREVIOUS: ` ${old1} , ${old2},` });
    expect(provider.getValue('cookiePassword')).toEqual([PASSWORD, old1, old2]);
    expect(provider.getResolvedConfig().cookiePasswords).toEqual([PASSWORD, old1, old2]);
  });

  it('is ignored without a current password', () => {
    const provider = new ConfigurationProvider({ WORKOS_COOKIE_PASSWORD_PREVIOUS: 'o'.repeat(32) });
    expect(provider.getValue('cookiePassword')).toBeUndefined();
  });

  it('validates each previous password without showing it', () => {
    const provider = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_COOKIE_PASSWORD_PREVIOUS: 'old-and-short' });
    const { error, problems } = problemsOf(() => provider.validate());
    expect(problems).toEqual(['previous cookie password #1 must be at least 32 characters (currently 13)']);
    expect(error.message).not.toContain('old-and-short');
  });

  it('opens cookies sealed under a previous password and reseals them under the current one', async () => {
    // A real session sealed under the test password, which becomes the "previous" one.
    const { service: before } = makeService(em.port, em.apiKey);
    const { cookie } = await signIn(before);
    const lib = await freshLibrary();
    lib.configure(
      asFunction({
        WORKOS_CLIENT_ID: CLIENT_ID,
        WORKOS_API_KEY: em.apiKey,
        WORKOS_REDIRECT_URI: REDIRECT_URI,
        WORKOS_COOKIE_PASSWORD: NEW_PASSWORD,
        WORKOS_COOKIE_PASSWORD_PREVIOUS: COOKIE_PASSWORD,
        WORKOS_API_HOSTNAME: 'localhost',
        WORKOS_API_PORT: String(em.port),
        WORKOS_API_HTTPS: 'false',
      }),
    );
    const service = lib.createAuthService<Request, Response>({ sessionStorageFactory: (config) => new FetchSessionStorage(config) });
    const { auth, refreshedSessionData } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(auth.user?.email).toBe(DEMO_EMAIL);
    expect(refreshedSessionData).toBeTypeOf('string');
    await expect(sessionEncryption.unsealData(refreshedSessionData as string, { password: COOKIE_PASSWORD })).rejects.toThrow();
    const resealed = await sessionEncryption.unsealData<{ accessToken: string }>(refreshedSessionData as string, {
      password: NEW_PASSWORD,
    });
    expect(resealed.accessToken).toBe(auth.user ? auth.accessToken : undefined);
    // The resealed cookie is then read without further rewriting.
    const again = await service.withAuth(requestWithCookies({ 'wos-session': refreshedSessionData as string }));
    expect(again.auth.user?.email).toBe(DEMO_EMAIL);
    expect(again.refreshedSessionData).toBeUndefined();
  });
});

afterEach(() => {
  vi.resetModules();
});
