import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationProvider } from '../../../src/core/config/ConfigurationProvider.js';
import { NUMBER_RULE } from '../../../src/core/config/convert.js';
import { AuthKitCore } from '../../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../../src/core/client/workos.js';
import { REQUIRED_ENV, configForCore, problemsOf } from '../../helpers/config.js';

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

afterEach(() => {
  vi.resetModules();
});
