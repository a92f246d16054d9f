import { afterEach, describe, expect, it, vi } from 'vitest';
import { FetchSessionStorage } from '../../../src/adapters/fetch.js';
import { NUMBER_RULE } from '../../../src/core/config/convert.js';
import { otherLinesAreChunkDeletions, setCookieFor } from '../../helpers/cookies.js';
import { REQUIRED_ENV, asFunction, configForCore, freshLibrary } from '../../helpers/config.js';

describe('module-level configure()/getConfig()/createAuthService', () => {
  const saveCookie = async (lib: Awaited<ReturnType<typeof freshLibrary>>, name = 'wos-session') => {
    const service = lib.createAuthService<Request, Response>({ sessionStorageFactory: (config) => new FetchSessionStorage(config) });
    const { headers } = await service.saveSession(undefined, 'sealed-value');
    expect(otherLinesAreChunkDeletions(headers, name)).toBe(true);
    return setCookieFor(headers, name);
  };

  it('env-only WORKOS_COOKIE_DOMAIN and WORKOS_COOKIE_SAME_SITE reach getConfig() and the session cookie', async () => {
    const lib = await freshLibrary();
    lib.configure(asFunction({ ...REQUIRED_ENV, WORKOS_COOKIE_DOMAIN: 'example.com', WORKOS_COOKIE_SAME_SITE: 'strict' }));
    expect(lib.getConfig('cookieDomain')).toBe('example.com');
    expect(lib.getConfig('cookieSameSite')).toBe('strict');
    expect(lib.getConfigurationProvider().getConfig()).toMatchObject({ cookieDomain: 'example.com', cookieSameSite: 'strict' });
    const header = await saveCookie(lib);
    expect(header).toMatch(/^wos-session=sealed-value;/);
    expect(header).toContain('; Domain=example.com');
    expect(header).toContain('; SameSite=Strict');
    expect(header).toContain('; Secure');
  });

  it('env-only SameSite=None forces Secure even with an http redirect URI', async () => {
    const lib = await freshLibrary();
    lib.configure({}, { ...REQUIRED_ENV, WORKOS_REDIRECT_URI: 'http://localhost:3000/cb', WORKOS_COOKIE_SAME_SITE: 'none' });
    const header = await saveCookie(lib);
    expect(header).toContain('; SameSite=None');
    expect(header).toContain('; Secure');
  });

  it('env-only WORKOS_COOKIE_NAME and WORKOS_COOKIE_MAX_AGE shape the cookie', async () => {
    const lib = await freshLibrary();
    lib.configure(asFunction({ ...REQUIRED_ENV, WORKOS_COOKIE_NAME: 'app-session', WORKOS_COOKIE_MAX_AGE: '3600' }));
    const header = await saveCookie(lib, 'app-session');
    expect(header).toMatch(/^app-session=sealed-value;/);
    expect(header).toContain('Max-Age=3600');
  });

  it('configure(obj) takes config keys, not WORKOS_* names (0.3.4 semantics)', async () => {
    const lib = await freshLibrary();
    lib.configure(() => undefined);
    lib.configure({ WORKOS_COOKIE_NAME: 'ignored' } as never);
    expect(lib.getConfig('cookieName')).toBe('wos-session');
    lib.configure({ cookieName: 'programmatic' });
    expect(lib.getConfig('cookieName')).toBe('programmatic');
  });

  it('configure(obj, source): the source wins, programmatic values fill the gaps', async () => {
    const lib = await freshLibrary();
    lib.configure({ cookieName: 'programmatic', cookieDomain: 'prog.example' }, { ...REQUIRED_ENV, WORKOS_COOKIE_NAME: 'env-name' });
    expect(lib.getConfig('cookieName')).toBe('env-name');
    expect(lib.getConfig('cookieDomain')).toBe('prog.example');
    const header = await saveCookie(lib, 'env-name');
    expect(header).toMatch(/^env-name=/);
    expect(header).toContain('Domain=prog.example');
  });

  it('validateConfig() reports the global configuration', async () => {
    const lib = await freshLibrary();
    lib.configure(() => undefined);
    expect(() => lib.validateConfig()).toThrow(/WORKOS_CLIENT_ID is required/);
    lib.configure(asFunction(REQUIRED_ENV));
    expect(() => lib.validateConfig()).not.toThrow();
  });

  it('rejects a non-numeric WORKOS_COOKIE_MAX_AGE when the service is first used', async () => {
    const lib = await freshLibrary();
    lib.configure(asFunction({ ...REQUIRED_ENV, WORKOS_COOKIE_MAX_AGE: 'forever' }));
    const service = lib.createAuthService<Request, Response>({ sessionStorageFactory: (config) => new FetchSessionStorage(config) });
    await expect(service.saveSession(undefined, 'x')).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining(`WORKOS_COOKIE_MAX_AGE ${NUMBER_RULE}`),
    });
  });

  it('getWorkOS() follows the global configuration instead of freezing the first one', async () => {
    const lib = await freshLibrary();
    lib.configure(() => undefined);
    expect(() => lib.getWorkOS()).toThrow(expect.objectContaining({ code: 'config_invalid' }));
    lib.configure(asFunction({ ...REQUIRED_ENV, WORKOS_API_HOSTNAME: 'one.example' }));
    const first = lib.getWorkOS();
    expect(first.baseURL).toBe('https://one.example');
    expect(lib.getWorkOS()).toBe(first);
    lib.configure(
      asFunction({ ...REQUIRED_ENV, WORKOS_API_HOSTNAME: 'two.example', WORKOS_API_PORT: '8443', WORKOS_API_KEY: 'sk_test_two' }),
    );
    const second = lib.getWorkOS();
    expect(second).not.toBe(first);
    expect(second.baseURL).toBe('https://two.example:8443');
    expect(second.key).toBe('sk_test_two');
  });

  it('services with different configurations get their own WorkOS clients', async () => {
    const lib = await freshLibrary();
    const make = (apiKey: string, apiHostname: string) =>
      lib.createAuthService<Request, Response>({
        config: { ...configForCore(), apiKey, apiHostname },
        sessionStorageFactory: (config) => new FetchSessionStorage(config),
      });
    const a = make('sk_a', 'a.example').getWorkOS();
    const b = make('sk_b', 'b.example').getWorkOS();
    expect([a.key, a.baseURL]).toEqual(['sk_a', 'https://a.example']);
    expect([b.key, b.baseURL]).toEqual(['sk_b', 'https://b.example']);
  });
});

afterEach(() => {
  vi.resetModules();
});
