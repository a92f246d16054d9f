import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationProvider } from '../../../src/core/config/ConfigurationProvider.js';
import { NUMBER_RULE } from '../../../src/core/config/convert.js';
import { REQUIRED_ENV, problemsOf } from '../../helpers/config.js';

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

afterEach(() => {
  vi.resetModules();
});
