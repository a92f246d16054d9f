import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { ConfigurationProvider } from '../../src/core/config/ConfigurationProvider.js';
import { NUMBER_RULE } from '../../src/core/config/convert.js';
import type { AuthKitConfig, ValueSource } from '../../src/core/config/types.js';
import { AuthKitCore } from '../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import { AuthKitError } from '../../src/core/errors.js';
import { sessionEncryption } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { CLIENT_ID, COOKIE_PASSWORD, DEMO_EMAIL, REDIRECT_URI, startEmulator, type TestEmulator } from '../helpers/emulator.js';
import { countingFetch } from '../helpers/fetchCounter.js';
import { otherLinesAreChunkDeletions, setCookieFor } from '../helpers/cookies.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { TestClock } from '../helpers/clock.js';

const PASSWORD = 'p'.repeat(40);
const NEW_PASSWORD = 'n'.repeat(48);

/** A complete environment with the required variables. */
const REQUIRED_ENV = {
  WORKOS_CLIENT_ID: 'client_env',
  WORKOS_API_KEY: 'sk_test_env',
  WORKOS_REDIRECT_URI: 'https://app.example/callback',
  WORKOS_COOKIE_PASSWORD: PASSWORD,
};

/** Every key of the 0.3.4 table (§1.3) with its variable, a raw env value and the value it converts to. */
const KEYS: [keyof AuthKitConfig, string, string, unknown][] = [
  ['clientId', 'WORKOS_CLIENT_ID', 'client_123', 'client_123'],
  ['apiKey', 'WORKOS_API_KEY', 'sk_test_123', 'sk_test_123'],
  ['redirectUri', 'WORKOS_REDIRECT_URI', 'https://app.example/cb', 'https://app.example/cb'],
  ['cookiePassword', 'WORKOS_COOKIE_PASSWORD', PASSWORD, PASSWORD],
  ['apiHostname', 'WORKOS_API_HOSTNAME', 'auth.example.com', 'auth.example.com'],
  ['apiHttps', 'WORKOS_API_HTTPS', 'false', false],
  ['apiPort', 'WORKOS_API_PORT', '8443', 8443],
  ['cookieMaxAge', 'WORKOS_COOKIE_MAX_AGE', '3600', 3600],
  ['cookieName', 'WORKOS_COOKIE_NAME', 'my-session', 'my-session'],
  ['cookieSameSite', 'WORKOS_COOKIE_SAME_SITE', 'strict', 'strict'],
  ['cookieDomain', 'WORKOS_COOKIE_DOMAIN', 'example.com', 'example.com'],
];

const asFunction =
  (env: Record<string, string>): ValueSource =>
  (name: string) =>
    env[name];

/** The library with fresh module state (a new global provider and WorkOS client). */
async function freshLibrary() {
  vi.resetModules();
  return import('../../src/index.js');
}

function problemsOf(fn: () => unknown): { error: AuthKitError; problems: string[] } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthKitError);
    return { error: error as AuthKitError, problems: (error as AuthKitError).data?.problems as string[] };
  }
  throw new Error('expected a configuration error');
}

let em: TestEmulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.close();
});

describe('ConfigurationProvider with an explicit value source', () => {
  for (const [kind, wrap] of [
    ['object', (env: Record<string, string>) => env],
    ['function', asFunction],
  ] as const) {
    it.each(KEYS)(`reads %s from %s (${kind} source)`, (key, variable, raw, expected) => {
      const provider = new ConfigurationProvider(wrap({ [variable]: raw }));
      expect(provider.getValue(key)).toEqual(expected);
      expect(provider.getConfig()[key]).toEqual(expected);
    });
  }

  it('asks a function source for exactly the WORKOS_* names', () => {
    const asked = new Set<string>();
    const provider = new ConfigurationProvider((name: string) => {
      asked.add(name);
      return undefined;
    });
    provider.getConfig();
    for (const [, variable] of KEYS) expect(asked).toContain(variable);
    for (const name of asked) expect(name).toMatch(/^WORKOS_[A-Z_]+$/);
  });

  it('derives each variable name with the 0.3.4 rule (protected getEnvironmentVariableName)', () => {
    class Inspect extends ConfigurationProvider {
      name(key: string): string {
        return this.getEnvironmentVariableName(key);
      }
    }
    const inspect = new Inspect({});
    for (const [key, variable] of KEYS) expect(inspect.name(key)).toBe(variable);
  });

  it('reads the tuning keys beyond 0.3.4 from the environment too', () => {
    const provider = new ConfigurationProvider({
      WORKOS_REFRESH_BUFFER_SECONDS: '30',
      WORKOS_REFRESH_GRACE_SECONDS: '10',
      WORKOS_API_TIMEOUT_MS: '2500',
      WORKOS_CLOCK_TOLERANCE_SECONDS: '0',
      WORKOS_ISSUER: 'https://issuer.example',
    });
    expect(provider.getValue('refreshBufferSeconds')).toBe(30);
    expect(provider.getValue('refreshGraceSeconds')).toBe(10);
    expect(provider.getValue('apiTimeoutMs')).toBe(2500);
    expect(provider.getValue('clockToleranceSeconds')).toBe(0);
    expect(provider.getValue('issuer')).toBe('https://issuer.example');
  });

  it('applies the 0.3.4 defaults when nothing is set', () => {
    const provider = new ConfigurationProvider({});
    expect(provider.getValue('apiHostname')).toBe('api.workos.com');
    expect(provider.getValue('apiHttps')).toBe(true);
    expect(provider.getValue('cookieMaxAge')).toBe(34_560_000);
    expect(provider.getValue('cookieName')).toBe('wos-session');
    expect(provider.getValue('cookieSameSite')).toBe('lax');
    expect(provider.getValue('apiPort')).toBeUndefined();
    expect(provider.getValue('cookieDomain')).toBeUndefined();
    expect(provider.getValue('clientId')).toBeUndefined();
    const config = provider.getConfig();
    expect(config).not.toHaveProperty('clientId');
    expect(config).not.toHaveProperty('cookieDomain');
    expect(config).toMatchObject({ apiHostname: 'api.workos.com', apiHttps: true, cookieName: 'wos-session' });
  });

  it('treats empty strings, null and a throwing source as unset', () => {
    expect(new ConfigurationProvider({ WORKOS_COOKIE_NAME: '' }).getValue('cookieName')).toBe('wos-session');
    expect(new ConfigurationProvider({ WORKOS_COOKIE_NAME: null }).getValue('cookieName')).toBe('wos-session');
    const throwing = new ConfigurationProvider(() => {
      throw new Error('no env here');
    });
    expect(throwing.getValue('cookieName')).toBe('wos-session');
    expect(() => throwing.getConfig()).not.toThrow();
  });

  it('ranks the value source over configure(obj) over defaults', () => {
    const provider = new ConfigurationProvider({ WORKOS_COOKIE_NAME: 'from-env' });
    provider.configure({ cookieName: 'from-configure', cookieDomain: 'configured.example' });
    expect(provider.getValue('cookieName')).toBe('from-env');
    expect(provider.getValue('cookieDomain')).toBe('configured.example');
    expect(provider.getValue('apiHostname')).toBe('api.workos.com');
    expect(provider.getConfig()).toMatchObject({ cookieName: 'from-env', cookieDomain: 'configured.example' });
  });

  it('reads the source live on every call', () => {
    const env: Record<string, string> = {};
    const provider = new ConfigurationProvider(env);
    expect(provider.getValue('cookieName')).toBe('wos-session');
    env.WORKOS_COOKIE_NAME = 'later';
    expect(provider.getValue('cookieName')).toBe('later');
  });

  it('configure(fn) replaces the source and keeps programmatic values', () => {
    const provider = new ConfigurationProvider({ WORKOS_COOKIE_NAME: 'a', WORKOS_COOKIE_DOMAIN: 'a.example' });
    provider.configure({ apiHostname: 'configured.example' });
    provider.configure(asFunction({ WORKOS_COOKIE_NAME: 'b' }));
    expect(provider.getValue('cookieName')).toBe('b');
    expect(provider.getValue('cookieDomain')).toBeUndefined();
    expect(provider.getValue('apiHostname')).toBe('configured.example');
  });

  it('configure(obj) merges shallowly; configure(obj, source) also sets the source', () => {
    const provider = new ConfigurationProvider({});
    provider.configure({ clientId: 'client_a' });
    provider.configure({ apiKey: 'sk_a' });
    expect([provider.getValue('clientId'), provider.getValue('apiKey')]).toEqual(['client_a', 'sk_a']);
    provider.configure({ cookieName: 'programmatic' }, { WORKOS_COOKIE_DOMAIN: 'src.example' });
    expect(provider.getValue('cookieName')).toBe('programmatic');
    expect(provider.getValue('cookieDomain')).toBe('src.example');
    expect(provider.getValue('clientId')).toBe('client_a');
    provider.setValueSource({ WORKOS_CLIENT_ID: 'client_b' });
    expect(provider.getValue('clientId')).toBe('client_b');
    expect(provider.getValue('cookieDomain')).toBeUndefined();
  });

  it('passes programmatic values unconverted', () => {
    const provider = new ConfigurationProvider({});
    provider.configure({ apiHttps: false, apiPort: 8080, cookieMaxAge: 0 });
    expect(provider.getValue('apiHttps')).toBe(false);
    expect(provider.getValue('apiPort')).toBe(8080);
    expect(provider.getValue('cookieMaxAge')).toBe(0);
  });

  it('reads process.env by default, and no longer after configure(fn)', () => {
    const saved = process.env.WORKOS_COOKIE_NAME;
    process.env.WORKOS_COOKIE_NAME = 'from-process-env';
    try {
      const provider = new ConfigurationProvider();
      expect(provider.getValue('cookieName')).toBe('from-process-env');
      provider.configure(() => undefined);
      expect(provider.getValue('cookieName')).toBe('wos-session');
    } finally {
      if (saved === undefined) delete process.env.WORKOS_COOKIE_NAME;
      else process.env.WORKOS_COOKIE_NAME = saved;
    }
  });
});

describe('conversions', () => {
  it.each([
    ['TRUE', true],
    ['true', true],
    ['1', true],
    [' yes ', true],
    ['false', false],
    ['FALSE', false],
    ['0', false],
  ])('WORKOS_API_HTTPS=%s → %s', (raw, expected) => {
    const provider = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_API_HTTPS: raw });
    expect(provider.getValue('apiHttps')).toBe(expected);
    expect(() => provider.validate()).not.toThrow();
    expect(provider.getResolvedConfig().apiBaseUrl).toBe(`${expected ? 'https' : 'http'}://api.workos.com`);
  });

  it('WORKOS_API_PORT and WORKOS_COOKIE_MAX_AGE become numbers', () => {
    const provider = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_API_PORT: '8080', WORKOS_COOKIE_MAX_AGE: '600' });
    expect(provider.getValue('apiPort')).toBe(8080);
    expect(provider.getValue('cookieMaxAge')).toBe(600);
    expect(provider.getResolvedConfig()).toMatchObject({ apiPort: 8080, cookieMaxAge: 600 });
  });

  it('WORKOS_COOKIE_SAME_SITE is case-insensitive', () => {
    expect(new ConfigurationProvider({ WORKOS_COOKIE_SAME_SITE: 'None' }).getValue('cookieSameSite')).toBe('none');
  });

  it.each([
    ['WORKOS_COOKIE_MAX_AGE', 'forever', `WORKOS_COOKIE_MAX_AGE ${NUMBER_RULE}`],
    ['WORKOS_COOKIE_MAX_AGE', '-5', `WORKOS_COOKIE_MAX_AGE ${NUMBER_RULE}`],
    ['WORKOS_API_PORT', 'eighty', `WORKOS_API_PORT ${NUMBER_RULE}`],
    ['WORKOS_API_HTTPS', 'maybe', 'WORKOS_API_HTTPS must be true or false'],
    ['WORKOS_COOKIE_SAME_SITE', 'sideways', 'WORKOS_COOKIE_SAME_SITE must be lax, strict or none'],
    ['WORKOS_REDIRECT_URI', '/relative/callback', 'WORKOS_REDIRECT_URI must be an absolute URL'],
  ])('invalid %s=%s is a validation error naming the variable', (variable, raw, problem) => {
    const provider = new ConfigurationProvider({ ...REQUIRED_ENV, [variable]: raw });
    const { error, problems } = problemsOf(() => provider.validate());
    expect(error.code).toBe('config_invalid');
    expect(problems).toEqual([problem]);
    expect(error.message).toContain(`  • ${problem}`);
    // The resolved configuration (what services are built from) refuses it too.
    expect(problemsOf(() => provider.getResolvedConfig()).problems).toEqual([problem]);
    expect(() => new AuthKitCore(provider, createWorkOSClient(configForCore()))).toThrow(problem);
  });
});

function configForCore(): AuthKitConfig {
  return { clientId: CLIENT_ID, apiKey: 'sk_test', redirectUri: REDIRECT_URI, cookiePassword: PASSWORD };
}

describe('validate()', () => {
  const secret = 'short-secret-pw';

  it('lists every problem in one error, in the 0.3.4 wording, without secret values', () => {
    const provider = new ConfigurationProvider({
      WORKOS_REDIRECT_URI: 'https://app.example/cb',
      WORKOS_COOKIE_PASSWORD: secret,
      WORKOS_API_HTTPS: 'maybe',
      WORKOS_COOKIE_MAX_AGE: 'forever',
    });
    const { error, problems } = problemsOf(() => provider.validate());
    expect(error.code).toBe('config_invalid');
    expect(problems).toEqual([
      'WORKOS_CLIENT_ID is required',
      'WORKOS_API_KEY is required',
      'WORKOS_API_HTTPS must be true or false',
      `WORKOS_COOKIE_MAX_AGE ${NUMBER_RULE}`,
      `WORKOS_COOKIE_PASSWORD must be at least 32 characters (currently ${secret.length})`,
    ]);
    expect(error.message).toBe(
      'AuthKit configuration error. Missing or invalid environment variables:\n\n' +
        problems.map((p) => `  • ${p}`).join('\n') +
        '\n\nSet these environment variables or call configure() with the required values.\n' +
        'Get your values from the WorkOS Dashboard: https://dashboard.workos.com',
    );
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.data)).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
  });

  it('rejects a 31-character password and accepts 32', () => {
    const short = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_COOKIE_PASSWORD: 'x'.repeat(31) });
    expect(problemsOf(() => short.validate()).problems).toEqual(['WORKOS_COOKIE_PASSWORD must be at least 32 characters (currently 31)']);
    const ok = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_COOKIE_PASSWORD: 'x'.repeat(32) });
    expect(() => ok.validate()).not.toThrow();
  });

  it('rejects a short programmatic password as well', () => {
    const provider = new ConfigurationProvider({});
    provider.configure({ clientId: 'c', apiKey: 'k', redirectUri: 'https://a.example/cb', cookiePassword: 'tiny' });
    expect(problemsOf(() => provider.validate()).problems).toEqual([
      'cookiePassword (configure()) must be at least 32 characters (currently 4)',
    ]);
  });

  it('passes for a complete configuration', () => {
    expect(() => new ConfigurationProvider(REQUIRED_ENV).validate()).not.toThrow();
  });
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
