import { describe, expect, it } from 'vitest';
import { AuthKitCore } from '../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import { ConfigurationProvider } from '../../src/core/config/ConfigurationProvider.js';
import { CLIENT_ID, configFor, envFor, COOKIE_PASSWORD, DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { coreHelpersFor } from '../helpers/core.js';

const ctx = useEmulator();

const { freshSession, makeCore } = coreHelpersFor(ctx);

describe('AuthKitCore construction', () => {
  it('accepts a ConfigurationProvider and exposes the resolved, frozen config', () => {
    const provider = new ConfigurationProvider(envFor(ctx.em.port, ctx.em.apiKey));
    const core = new AuthKitCore(provider, createWorkOSClient(provider.getResolvedConfig()));
    expect(core.config).toMatchObject({
      clientId: CLIENT_ID,
      apiBaseUrl: ctx.em.url,
      cookiePasswords: [COOKIE_PASSWORD],
    });
    // Not WorkOS's own host and no issuer configured: `iss` is not checked (issue 12).
    expect(core.config.issuer).toBeUndefined();
    expect(Object.isFrozen(core.config)).toBe(true);
  });

  it('throws config_invalid for an invalid configuration', () => {
    const config = configFor(ctx.em.port, ctx.em.apiKey, { cookiePassword: 'short' });
    expect(() => new AuthKitCore(config, createWorkOSClient(configFor(ctx.em.port, ctx.em.apiKey)))).toThrow(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });
});

describe('authenticate', () => {
  it('answers no_session for null, undefined and empty', async () => {
    const { core } = makeCore();
    for (const value of [null, undefined, '']) {
      expect(await core.authenticate(value)).toEqual({ auth: { user: null, reason: 'no_session', retryable: false } });
    }
  });

  it('authenticates a sealed session and returns the session itself', async () => {
    const { core } = makeCore();
    const session = await freshSession();
    const outcome = await core.authenticate(await core.encryptSession(session));
    expect(outcome.refreshedSessionData).toBeUndefined();
    expect(outcome.session).toEqual(session);
    expect(outcome.auth.user?.email).toBe(DEMO_EMAIL);
  });

  it('a handler that throws never changes the outcome', async () => {
    const config = configFor(ctx.em.port, ctx.em.apiKey);
    const core = new AuthKitCore(config, createWorkOSClient(config), undefined, {
      onEvent: () => {
        throw new Error('observer bug');
      },
    });
    expect((await core.authenticate('garbage')).auth).toMatchObject({ user: null, reason: 'invalid_cookie' });
  });
});
