import { describe, expect, it } from 'vitest';
import { ConfigurationProvider } from '../../src/core/config/ConfigurationProvider.js';
import { CLIENT_ID } from '../helpers/emulator.js';

const NEW = 'the-brand-new-cookie-password-of-32+-chars';

describe('sessionCacheMaxEntries configuration', () => {
  const env = (value?: string) => ({
    WORKOS_CLIENT_ID: CLIENT_ID,
    WORKOS_API_KEY: 'sk_test',
    WORKOS_REDIRECT_URI: 'http://localhost:3000/callback',
    WORKOS_COOKIE_PASSWORD: NEW,
    ...(value !== undefined ? { WORKOS_SESSION_CACHE_MAX_ENTRIES: value } : {}),
  });

  it('defaults to 150000 entries in 64 MiB and reads WORKOS_SESSION_CACHE_MAX_ENTRIES and _MAX_BYTES', () => {
    expect(new ConfigurationProvider(env()).getResolvedConfig().sessionCacheMaxEntries).toBe(150_000);
    expect(new ConfigurationProvider(env()).getResolvedConfig().sessionCacheMaxBytes).toBe(64 * 2 ** 20);
    const bytes = new ConfigurationProvider({ ...env(), WORKOS_SESSION_CACHE_MAX_BYTES: '1048576' }).getResolvedConfig();
    expect(bytes.sessionCacheMaxBytes).toBe(1_048_576);
    expect(() => new ConfigurationProvider({ ...env(), WORKOS_SESSION_CACHE_MAX_BYTES: '-5' }).getResolvedConfig()).toThrow(
      /WORKOS_SESSION_CACHE_MAX_BYTES/,
    );
    expect(new ConfigurationProvider(env('25')).getResolvedConfig().sessionCacheMaxEntries).toBe(25);
    expect(new ConfigurationProvider(env('0')).getResolvedConfig().sessionCacheMaxEntries).toBe(0);
  });

  it.each(['-1', '1.5', 'many'])('refuses %s', (value) => {
    expect(() => new ConfigurationProvider(env(value)).getResolvedConfig()).toThrow(/WORKOS_SESSION_CACHE_MAX_ENTRIES/);
  });
});
