import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FetchSessionStorage } from '../../../src/adapters/fetch.js';
import { CLIENT_ID, startEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { countingFetch } from '../../helpers/fetchCounter.js';
import { requestWithCookies } from '../../helpers/requests.js';
import { makeService, signIn } from '../../helpers/service.js';
import { TestClock } from '../../helpers/clock.js';
import { configForCore, freshLibrary } from '../../helpers/config.js';

let em: TestEmulator;

beforeAll(async () => {
  em = await startEmulator();
});

afterAll(async () => {
  await em.close();
});

describe('WorkOS URLs come from apiHostname/apiPort/apiHttps', () => {
  it('authorize, logout, authenticate and JWKS all go to the emulator', async () => {
    const counter = countingFetch();
    const { service, clock } = makeService(em.port, em.apiKey, {}, { fetch: counter.fetch });
    const signInUrl = await service.getSignInUrl();
    expect(signInUrl.startsWith(`${em.url}/user_management/authorize?`)).toBe(true);
    const signUpUrl = await service.getSignUpUrl();
    expect(signUpUrl.startsWith(`${em.url}/user_management/authorize?`)).toBe(true);
    const { cookie } = await signIn(service);
    clock.advance(3700);
    const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    if (!auth.user) throw new Error(`not authenticated: ${auth.reason}`);
    const { logoutUrl } = await service.signOut(auth.sessionId);
    expect(logoutUrl.startsWith(`${em.url}/user_management/sessions/logout?`)).toBe(true);
    const urls = counter.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`);
    expect(urls).toEqual([
      `POST ${em.url}/user_management/authenticate`,
      `GET ${em.url}/sso/jwks/${CLIENT_ID}`,
      `POST ${em.url}/user_management/authenticate`,
    ]);
    expect(counter.requests.map((r) => r.grantType)).toEqual(['authorization_code', undefined, 'refresh_token']);
  });

  it.each([
    [{}, 'https://api.workos.com'],
    [{ apiHostname: 'auth.example.com' }, 'https://auth.example.com'],
    [{ apiHostname: 'auth.example.com', apiPort: 8443 }, 'https://auth.example.com:8443'],
    [{ apiHostname: 'localhost', apiPort: 8080, apiHttps: false }, 'http://localhost:8080'],
  ])('%j → %s', async (extra, base) => {
    const lib = await freshLibrary();
    const service = lib.createAuthService<Request, Response>({
      config: { ...configForCore(), ...extra },
      sessionStorageFactory: (config) => new FetchSessionStorage(config),
      clock: new TestClock().now,
    });
    expect((await service.getSignInUrl()).startsWith(`${base}/user_management/authorize?`)).toBe(true);
    expect((await service.signOut('session_1')).logoutUrl.startsWith(`${base}/user_management/sessions/logout?session_id=session_1`)).toBe(
      true,
    );
    expect(service.getWorkOS().baseURL).toBe(base);
  });
});

afterEach(() => {
  vi.resetModules();
});
