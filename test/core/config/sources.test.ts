import { describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../../src/adapters/fetch.js';
import { ConfigurationProvider } from '../../../src/core/config/ConfigurationProvider.js';
import { NUMBER_RULE } from '../../../src/core/config/convert.js';
import { resolveConfig } from '../../../src/core/config/resolve.js';
import { AuthKitError } from '../../../src/core/errors.js';
import { createAuthService } from '../../../src/service/factory.js';
import { CLIENT_ID, COOKIE_PASSWORD, REDIRECT_URI } from '../../helpers/emulator.js';

const REQUIRED = { clientId: CLIENT_ID, apiKey: 'sk_test', redirectUri: REDIRECT_URI, cookiePassword: COOKIE_PASSWORD };
const REQUIRED_ENV = {
  WORKOS_CLIENT_ID: CLIENT_ID,
  WORKOS_API_KEY: 'sk_test',
  WORKOS_REDIRECT_URI: REDIRECT_URI,
  WORKOS_COOKIE_PASSWORD: COOKIE_PASSWORD,
};

function configErrorOf(run: () => unknown): AuthKitError & { data: { problems: string[] } } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthKitError);
    expect((error as AuthKitError).code).toBe('config_invalid');
    return error as AuthKitError & { data: { problems: string[] } };
  }
  throw new Error('expected config_invalid');
}

describe('configuration errors name the source of the value', () => {
  it('a config object: keys as config.key, and the message does not send the user to environment variables', async () => {
    const error = configErrorOf(() => resolveConfig({ ...REQUIRED, apiKey: undefined as unknown as string, cookieMaxAge: 5.5 }));
    expect(error.data.problems).toEqual(['config.apiKey is required', `config.cookieMaxAge ${NUMBER_RULE}`]);
    expect(error.message).toContain('in the config object');
    expect(error.message).toContain('environment variables are not read');
    expect(error.message).not.toContain('Set these environment variables');
    // The same through createAuthService({ config }), as the first use rejects.
    const service = createAuthService<Request, Response>({
      config: { ...REQUIRED, cookiePassword: 'short' },
      sessionStorageFactory: (config) => new FetchSessionStorage(config),
    });
    await expect(service.getSignInUrl()).rejects.toMatchObject({
      code: 'config_invalid',
      data: { problems: ['config.cookiePassword must be at least 32 characters (currently 5)'] },
    });
  });

  it('the global provider: variables for environment values, key (configure()) for programmatic ones', () => {
    const provider = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_API_PORT: '0x10' });
    provider.configure({ refreshBufferSeconds: -1, cookieSameSite: 'sideways' as 'lax' });
    const error = configErrorOf(() => provider.validate());
    expect(error.data.problems).toEqual([
      `WORKOS_API_PORT ${NUMBER_RULE}`,
      `refreshBufferSeconds (configure()) ${NUMBER_RULE}`,
      'cookieSameSite (configure()) must be lax, strict or none',
    ]);
    expect(configErrorOf(() => provider.getResolvedConfig()).data.problems).toEqual(error.data.problems);
  });
});

describe('numbers are plain decimal integers, from any source', () => {
  it.each([' 5', '5 ', '5.5', '007', '0x10', '1e3', '+5', '-1', '', '١٢', '9007199254740993'])(
    'refuses %j from the environment, naming the key',
    (raw) => {
      const provider = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_COOKIE_MAX_AGE: raw });
      if (raw === '') {
        expect(provider.getValue('cookieMaxAge')).toBe(34_560_000); // empty is unset, as in 0.3.4
        return;
      }
      expect(configErrorOf(() => provider.validate()).data.problems).toEqual([`WORKOS_COOKIE_MAX_AGE ${NUMBER_RULE}`]);
      // getConfig never answers a default in place of a refused value.
      expect(configErrorOf(() => provider.getValue('cookieMaxAge')).data.problems).toEqual([`WORKOS_COOKIE_MAX_AGE ${NUMBER_RULE}`]);
    },
  );

  it.each([5.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '5', true])('refuses %s in a config object', (value) => {
    if (value === '5') {
      expect(resolveConfig({ ...REQUIRED, apiTimeoutMs: value as unknown as number }).apiTimeoutMs).toBe(5);
      return;
    }
    expect(configErrorOf(() => resolveConfig({ ...REQUIRED, apiTimeoutMs: value as number })).data.problems).toEqual([
      `config.apiTimeoutMs ${NUMBER_RULE}`,
    ]);
  });

  it('accepts 0 and plain digits', () => {
    const provider = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_COOKIE_MAX_AGE: '0', WORKOS_API_PORT: '8080' });
    expect([provider.getValue('cookieMaxAge'), provider.getValue('apiPort')]).toEqual([0, 8080]);
    expect(provider.getResolvedConfig()).toMatchObject({ cookieMaxAge: 0, apiPort: 8080 });
  });
});

describe('getConfig answers the effective value of every documented default', () => {
  it('issuer on WorkOS’s own host, none elsewhere; cookieMaxAge capped at 400 days', () => {
    const provider = new ConfigurationProvider({ ...REQUIRED_ENV });
    expect(provider.getValue('issuer')).toBe('https://api.workos.com');
    expect(provider.getValue('issuer')).toBe(provider.getResolvedConfig().issuer);
    const proxied = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_API_HOSTNAME: 'auth.example.com' });
    expect(proxied.getValue('issuer')).toBeUndefined();
    expect(proxied.getResolvedConfig().issuer).toBeUndefined();
    const long = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_COOKIE_MAX_AGE: '99999999' });
    expect(long.getValue('cookieMaxAge')).toBe(34_560_000);
    expect(long.getValue('cookieMaxAge')).toBe(long.getResolvedConfig().cookieMaxAge);
  });

  it('every key with a default answers what the resolved configuration uses', () => {
    const provider = new ConfigurationProvider({ ...REQUIRED_ENV });
    const resolved = provider.getResolvedConfig();
    const config = provider.getConfig();
    for (const [key, value] of Object.entries(config)) expect(resolved[key as keyof typeof resolved], key).toEqual(value);
    for (const key of [
      'apiHostname',
      'apiHttps',
      'cookieMaxAge',
      'cookieName',
      'cookieSameSite',
      'cookieMaxParts',
      'refreshBufferSeconds',
      'refreshGraceSeconds',
      'apiTimeoutMs',
      'clockToleranceSeconds',
      'issuer',
      'sessionCacheMaxEntries',
    ] as const) {
      expect(provider.getValue(key), key).toBeDefined();
    }
  });
});

describe('a __Host- cookie name with a cookie domain', () => {
  it('is refused when the configuration is validated, from either source', () => {
    expect(
      configErrorOf(() => resolveConfig({ ...REQUIRED, cookieName: '__Host-session', cookieDomain: 'example.com' })).data.problems,
    ).toEqual(['config.cookieName starts with __Host-, which forbids a cookie domain: remove config.cookieDomain']);
    const provider = new ConfigurationProvider({ ...REQUIRED_ENV, WORKOS_COOKIE_NAME: '__host-s', WORKOS_COOKIE_DOMAIN: 'example.com' });
    expect(configErrorOf(() => provider.validate()).data.problems).toEqual([
      'WORKOS_COOKIE_NAME starts with __Host-, which forbids a cookie domain: remove WORKOS_COOKIE_DOMAIN',
    ]);
    expect(resolveConfig({ ...REQUIRED, cookieName: '__Host-session' }).cookieName).toBe('__Host-session');
  });
});
