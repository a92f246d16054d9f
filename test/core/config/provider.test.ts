import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationProvider } from '../../../src/core/config/ConfigurationProvider.js';
import type { AuthKitConfig } from '../../../src/core/config/types.js';
import { PASSWORD, asFunction } from '../../helpers/config.js';

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

afterEach(() => {
  vi.resetModules();
});
